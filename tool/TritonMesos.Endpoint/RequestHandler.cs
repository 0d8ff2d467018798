using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TritonMesos.Endpoint;

/// <summary>
/// Answers every non-hijacked request the way sdc-docker does: its own answers for /_ping, /version, /info and refusals,
/// the engine's for the rest with Triton's status codes, error text and container views.
/// Kestrel plus hand-written forwarding instead of YARP: nearly every route needs its body or answer rewritten, and the
/// hijacked routes need TCP half-close, which neither YARP nor Kestrel's upgrade feature offers (see <see cref="HijackGate"/>).
/// </summary>
internal sealed partial class RequestHandler(EndpointOptions options, EngineClient engine, EndpointLog log, TlsMaterial? tls)
{
    private static readonly string[] HopByHop =
        ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Server", "Content-Length"];

    private readonly string _serverId = Guid.NewGuid().ToString();

    public EndpointOptions Options => options;
    public EngineClient Engine => engine;
    public EndpointLog Log => log;
    public TlsMaterial? Tls => tls;

    public async Task HandleAsync(HttpContext ctx)
    {
        var ex = new Exchange(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "");
        ctx.Response.Headers["Server"] = TritonConstants.ServerHeader;
        ctx.Response.Headers["x-request-id"] = ex.Id;
        ctx.Response.OnStarting(() =>
        {
            ctx.Response.Headers["x-response-time"] = ex.ElapsedMs;
            return Task.CompletedTask;
        });
        try
        {
            await DispatchAsync(ctx, ex);
        }
        catch (Exception e) when (IsEngineDown(e) && !ctx.Response.HasStarted)
        {
            await RefuseAsync(ctx, ex, EngineDown(e));
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested)
        {
            Record(ex, 499, forwarded: true, "client.disconnected", e.GetType().Name);
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            var error = e.StatusCode == 413
                ? new TritonError(413, "RequestEntityTooLarge", $"Request body size exceeds {options.MaxJsonBodyBytes}", "body.too-large")
                : new TritonError(e.StatusCode, "BadRequest", e.Message, "body.bad-request");
            await RefuseAsync(ctx, ex, error);
        }
    }

    private async Task DispatchAsync(HttpContext ctx, Exchange ex)
    {
        var route = ex.Route;
        switch (route.Kind)
        {
            case RouteKind.Ping:
                await PingAsync(ctx, ex);
                return;
            case RouteKind.Events:
                await RefuseAsync(ctx, ex, TritonError.NotImplemented("events", "route.not-implemented"));
                return;
            case RouteKind.CaPem when tls is not null:
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync(tls.ServerCertificatePem);
                Record(ex, 200, forwarded: false, null, null);
                return;
        }
        if (ApiVersionRule.Check(ex.Request.VersionPrefix) is { } versionError)
        {
            await RefuseAsync(ctx, ex, versionError);
            return;
        }
        if (tls is not null)
        {
            if (tls.Authenticate(ctx.Connection.ClientCertificate) is not { } account)
            {
                await RefuseAsync(ctx, ex, new TritonError(401, null, "Unauthorized", "auth.client-certificate"));
                return;
            }
            ex.Account = account;
        }
        else
            ex.Account = options.Account;

        switch (route.Kind)
        {
            case RouteKind.Version:
                await WriteJsonAsync(ctx, ex, 200, TritonViews.Version(), forwarded: false);
                return;
            case RouteKind.Info:
                await InfoAsync(ctx, ex);
                return;
            case RouteKind.NotImplemented:
                await RefuseAsync(ctx, ex, TritonError.NotImplemented(route.Feature!, "route.not-implemented"));
                return;
            case RouteKind.Volumes:
                await RefuseAsync(ctx, ex, TritonError.Plain(500, "Volumes are not supported", "route.volumes"));
                return;
            case RouteKind.NotFound or RouteKind.CaPem:
                await RefuseAsync(ctx, ex, new TritonError(404, "ResourceNotFound", $"{ex.Request.Path} does not exist", "route.not-found"));
                return;
            case RouteKind.Hijack:
                await RefuseAsync(ctx, ex, new TritonError(400, "BadRequest",
                    "attach and exec start must be the first request on their connection", "hijack.not-first"));
                return;
            case RouteKind.Create:
                await CreateAsync(ctx, ex);
                return;
            case RouteKind.ContainerInspect:
                await InspectAsync(ctx, ex);
                return;
            case RouteKind.ContainerList:
                await ListAsync(ctx, ex);
                return;
            case RouteKind.Start or RouteKind.Restart:
                await ForwardAsync(ctx, ex, ex.Request.Query, NotModifiedIsNoContent);
                return;
            case RouteKind.Stop:
                await StopAsync(ctx, ex);
                return;
            case RouteKind.Kill:
                await ForwardAsync(ctx, ex, ex.Request.Query);
                return;
            case RouteKind.Wait:
                await ForwardAsync(ctx, ex, WaitQuery(ex));
                return;
            case RouteKind.Delete:
                await DeleteAsync(ctx, ex);
                return;
            case RouteKind.Logs:
                await ForwardAsync(ctx, ex, LogsQuery(ctx));
                return;
            case RouteKind.ExecCreate:
                await ForwardAsync(ctx, ex, ex.Request.Query, CreatedIsOk);
                return;
            default:
                await ForwardAsync(ctx, ex, ex.Request.Query);
                return;
        }
    }

    /// <summary>lib/endpoints/_ping.js: GET only, 200 OK text/plain; the API-Version header is this endpoint's one deviation (unless strict).</summary>
    private async Task PingAsync(HttpContext ctx, Exchange ex)
    {
        if (ex.Request.Method != "GET")
        {
            await RefuseAsync(ctx, ex, new TritonError(405, "MethodNotAllowed", $"{ex.Request.Method} is not allowed", "ping.method"));
            return;
        }
        if (!options.StrictTriton)
        {
            ctx.Response.Headers["API-Version"] = options.PingApiVersion;
            ex.Notes.Add("ping.api-version-header");
        }
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync("OK");
        Record(ex, 200, forwarded: false, ex.Notes.FirstOrDefault(), null);
    }

    private async Task InfoAsync(HttpContext ctx, Exchange ex)
    {
        var containers = await EngineJsonAsync<JsonArray>(ex, "/containers/json?all=1", ctx.RequestAborted);
        var images = await EngineJsonAsync<JsonArray>(ex, "/images/json", ctx.RequestAborted);
        var info = TritonViews.Info(ex.Account, options.DatacenterName, _serverId, containers?.Count ?? 0, images?.Count ?? 0);
        await WriteJsonAsync(ctx, ex, 200, info, forwarded: false);
    }

    /// <summary>GETs engine JSON for the endpoint's own use (not a client request).</summary>
    private async Task<T?> EngineJsonAsync<T>(Exchange ex, string routeAndQuery, CancellationToken ct) where T : JsonNode
    {
        var prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await engine.VersionsAsync(ct));
        using var response = await engine.Http.GetAsync(prefix + routeAndQuery, ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as T : null;
    }

    /// <summary>Sends the client's request (or <paramref name="content"/>) to the engine under the clamped API version.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpContext ctx, Exchange ex, string query, HttpContent? content)
    {
        var prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await engine.VersionsAsync(ctx.RequestAborted));
        var message = new HttpRequestMessage(new HttpMethod(ex.Request.Method), prefix + ex.Request.Route + query);
        foreach (var (name, values) in ctx.Request.Headers)
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                continue;
            message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        if (content is null && (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0))
        {
            content = new StreamContent(ctx.Request.Body);
            if (ctx.Request.ContentLength is { } length)
                content.Headers.ContentLength = length;
        }
        if (content is not null && ctx.Request.ContentType is { } type && content.Headers.ContentType is null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        message.Content = content;
        return await engine.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ctx.RequestAborted);
    }

    /// <summary>Forwards and relays; engine errors become Triton error text; <paramref name="map"/> may change the answer.</summary>
    private async Task ForwardAsync(HttpContext ctx, Exchange ex, string query, Func<Exchange, int, string, TritonError?>? map = null, HttpContent? content = null)
    {
        using var response = await SendAsync(ctx, ex, query, content);
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            var message = ErrorMessage(await response.Content.ReadAsStringAsync(ctx.RequestAborted));
            var error = map?.Invoke(ex, status, message) ?? TritonError.Plain(status, message, "engine.error");
            await WriteErrorAsync(ctx, ex, error, forwarded: true);
            return;
        }
        if (map?.Invoke(ex, status, "") is { } replaced)
        {
            status = replaced.Status;
            ex.Notes.Add(replaced.Rule);
        }
        ctx.Response.StatusCode = status;
        CopyHeaders(response, ctx);
        if (status is 204 or 304)
            ctx.Response.ContentLength = null;
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted); // send the headers now: wait and logs --follow clients block on them
        await using (var body = await response.Content.ReadAsStreamAsync(ctx.RequestAborted))
        {
            var buffer = new byte[32 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
            {
                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, read), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        Record(ex, status, forwarded: true, ex.Notes.Count == 0 ? null : string.Join(",", ex.Notes), null);
    }

    private static void CopyHeaders(HttpResponseMessage response, HttpContext ctx)
    {
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase) && !name.StartsWith("Api-Version", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("Docker-Experimental", StringComparison.OrdinalIgnoreCase) && !name.Equals("Ostype", StringComparison.OrdinalIgnoreCase))
                ctx.Response.Headers[name] = values.ToArray();
        if (response.Content.Headers.ContentLength is { } length)
            ctx.Response.ContentLength = length;
    }

    /// <summary>The engine's JSON <c>{"message": …}</c> text, or the raw body.</summary>
    internal static string ErrorMessage(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject o && (string?)o["message"] is { } m)
                return m;
        }
        catch (JsonException)
        {
        }
        return body.Trim();
    }

    private async Task WriteJsonAsync(HttpContext ctx, Exchange ex, int status, JsonNode body, bool forwarded)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        Record(ex, status, forwarded, ex.Notes.Count == 0 ? null : string.Join(",", ex.Notes), null);
    }

    /// <summary>Answers with a refusal: the engine never saw this request.</summary>
    private Task RefuseAsync(HttpContext ctx, Exchange ex, TritonError error) => WriteErrorAsync(ctx, ex, error, forwarded: false);

    private async Task WriteErrorAsync(HttpContext ctx, Exchange ex, TritonError error, bool forwarded)
    {
        if (error.Rule == "body.too-large")
            ctx.Response.Headers.Connection = "close"; // do not read (or make the client send) the rest of the body
        var body = Encoding.UTF8.GetBytes(error.Body(ex.Id));
        ctx.Response.StatusCode = error.Status;
        ctx.Response.ContentType = "text/plain";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        Record(ex, error.Status, forwarded, error.Rule, error.Body(ex.Id));
    }

    internal void Record(Exchange ex, int status, bool forwarded, string? rule, string? detail) =>
        log.Add(new EndpointLogEntry(DateTimeOffset.UtcNow, ex.Id, ex.Request.Method, ex.Request.Path + ex.Request.Query, status, forwarded, rule, detail));

    internal static bool IsEngineDown(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.Unknown }
            or SocketException || e.InnerException is SocketException;

    internal TritonError EngineDown(Exception e) =>
        new(502, "BadGateway", $"docker engine {engine.Address} is unreachable: {(e.InnerException ?? e).Message}; retry when it is back", "engine.unreachable");
}
