using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TritonMesos.Endpoint;

/// <summary>
/// Answers every non-hijacked request the way sdc-docker does: its own answers for /_ping, /version, /info and refusals,
/// the engine's for the rest with Triton's status codes, error text and container views. Every request first passes
/// <see cref="Admission"/>, the same pipeline the hijacked routes use.
/// Kestrel plus hand-written forwarding instead of YARP: nearly every route needs its body or answer rewritten, and the
/// hijacked routes need TCP half-close, which neither YARP nor Kestrel's upgrade feature offers (see <see cref="HijackGate"/>).
/// </summary>
internal sealed partial class RequestHandler
{
    /// <summary>Request headers the engine gets (registry credentials for pull, push and build); every other one is dropped.</summary>
    private static readonly string[] ForwardedHeaders = ["User-Agent", "X-Registry-Auth", "X-Registry-Config", "Accept"];

    private static readonly string[] HopByHop =
        ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Server", "Content-Length"];

    private readonly string _serverId = Guid.NewGuid().ToString();
    private readonly EndpointOptions options;
    private readonly EngineClient engine;
    private readonly EndpointLog log;
    private readonly TlsMaterial? tls;

    public RequestHandler(EndpointOptions options, EngineClient engine, EndpointLog log, TlsMaterial? tls)
    {
        this.options = options;
        this.engine = engine;
        this.log = log;
        this.tls = tls;
        Book = new ContainerBook(engine);
        Fabrics = new Fabrics(engine, options.AllFabrics);
        Admission = new Admission(options, tls, Book);
    }

    public EndpointOptions Options => options;
    public EngineClient Engine => engine;
    public EndpointLog Log => log;
    public ContainerBook Book { get; }
    public Fabrics Fabrics { get; }
    public Admission Admission { get; }

    public async Task HandleAsync(HttpContext ctx)
    {
        var rawTarget = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "/";
        var ex = new Exchange(ctx.Request.Method, rawTarget);
        ctx.Response.Headers["Server"] = TritonConstants.ServerHeader;
        ctx.Response.Headers["x-request-id"] = ex.Id;
        ctx.Response.OnStarting(() =>
        {
            ctx.Response.Headers["x-response-time"] = ex.ElapsedMs;
            return Task.CompletedTask;
        });
        try
        {
            if (await Admission.AdmitAsync(ex, ctx.Connection.ClientCertificate, ctx.Request.ContentLength, ctx.RequestAborted) is { } refusal)
                await RefuseAsync(ctx, ex, refusal);
            else
                await DispatchAsync(ctx, ex);
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested || IsClientGone(e))
        {
            Record(ex, 499, forwarded: true, "client.disconnected", e.GetType().Name);
        }
        catch (Exception e) when (IsEngineDown(e) && !ctx.Response.HasStarted)
        {
            await RefuseAsync(ctx, ex, EngineDown(e));
        }
        catch (FabricException e) when (!ctx.Response.HasStarted)
        {
            await RefuseAsync(ctx, ex, TritonError.Plain(500, e.Message, "fabric.unusable"));
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            var error = e.StatusCode == 413 ? Admission.TooLarge(options)
                : e.StatusCode == 408 ? new TritonError(408, "RequestTimeout", "request body too slow: " + e.Message, "body.too-slow")
                : new TritonError(e.StatusCode, "BadRequest", e.Message, "body.bad-request");
            await RefuseAsync(ctx, ex, error);
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await WriteErrorAsync(ctx, ex, new TritonError(500, "InternalError", $"internal error: {e.GetType().Name}: {e.Message}", "internal.error"), forwarded: false);
        }
        catch (Exception e)
        {
            Record(ex, 500, forwarded: true, "internal.error-mid-answer", $"{e.GetType().Name}: {e.Message}");
            ctx.Abort();
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
            case RouteKind.CaPem:
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync(tls!.ServerCertificatePem);
                Record(ex, 200, forwarded: false, null, null);
                return;
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
            case RouteKind.Attach or RouteKind.ExecStart:
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
            case RouteKind.Start or RouteKind.Restart or RouteKind.Stop:
                await LifecycleAsync(ctx, ex);
                return;
            case RouteKind.Wait:
                await ForwardAsync(ctx, ex, WaitQuery(ex));
                return;
            case RouteKind.Delete:
                await DeleteAsync(ctx, ex);
                return;
            case RouteKind.LinkDelete:
                ex.Notes.Add("link.removed");
                ctx.Response.StatusCode = 204;
                Record(ex, 204, forwarded: false, "link.removed", null);
                return;
            case RouteKind.Logs:
                await ForwardAsync(ctx, ex, LogsQuery(ex));
                return;
            case RouteKind.ExecCreate:
                await ExecCreateAsync(ctx, ex);
                return;
            case RouteKind.ImagePull or RouteKind.ImagePush:
                await ImageTransferAsync(ctx, ex);
                return;
            case RouteKind.ImageForward when route.Action == "search" && ImageSources.Check("docker.io", options.Registries, "search") is { } refused:
                await RefuseAsync(ctx, ex, refused);
                return;
            case RouteKind.ImageForward when route.Action == "rmi":
                await ForwardAsync(ctx, ex, Query(ex), RmiConflict);
                return;
            case RouteKind.Build:
                await BuildAsync(ctx, ex);
                return;
            case RouteKind.Commit:
                await CommitAsync(ctx, ex);
                return;
            case RouteKind.Auth:
                await AuthAsync(ctx, ex);
                return;
            case RouteKind.NetworkList or RouteKind.NetworkInspect:
                await NetworksAsync(ctx, ex);
                return;
            default:
                await ForwardAsync(ctx, ex, Query(ex), content: StreamedBody(ctx));
                return;
        }
    }

    /// <summary>The allow-listed query of the route, re-encoded; dropped names are noted in the log.</summary>
    private static string Query(Exchange ex, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var dropped = ex.Request.DroppedQuery(ex.Route.AllowedQuery).ToList();
        if (dropped.Count > 0)
            ex.Notes.Add("query.dropped[" + string.Join(" ", dropped) + "]");
        return ex.Request.ForwardQuery(ex.Route.AllowedQuery, overrides);
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
        var containers = await OwnedListAsync(ex, "?all=1", ctx.RequestAborted);
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

    /// <summary>The client's body as a stream for the engine (archive uploads), or null when there is none.</summary>
    private static HttpContent? StreamedBody(HttpContext ctx)
    {
        if (!(ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0))
            return null;
        var content = new StreamContent(new ClientBodyStream(ctx.Request.Body));
        if (ctx.Request.ContentLength is { } length)
            content.Headers.ContentLength = length;
        if (ctx.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed))
            content.Headers.ContentType = parsed;
        return content;
    }

    /// <summary>Sends the checked target (engine route and re-encoded query) with <paramref name="content"/> under the clamped API version.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpContext ctx, Exchange ex, string query, HttpContent? content, string? method = null)
    {
        var prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await engine.VersionsAsync(ctx.RequestAborted));
        var message = new HttpRequestMessage(new HttpMethod(method ?? ex.Request.Method), prefix + ex.EngineRoute + query);
        foreach (var name in ForwardedHeaders)
            if (ctx.Request.Headers.TryGetValue(name, out var values))
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
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
        Record(ex, status, forwarded: true, Notes(ex), null);
    }

    private static string? Notes(Exchange ex) => ex.Notes.Count == 0 ? null : string.Join(",", ex.Notes);

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
        Record(ex, status, forwarded, Notes(ex), null);
    }

    /// <summary>Answers with a refusal: the engine never saw this request.</summary>
    private Task RefuseAsync(HttpContext ctx, Exchange ex, TritonError error) => WriteErrorAsync(ctx, ex, error, forwarded: false);

    private async Task WriteErrorAsync(HttpContext ctx, Exchange ex, TritonError error, bool forwarded)
    {
        if (error.Rule is "body.too-large" or "body.too-slow")
            ctx.Response.Headers.Connection = "close"; // do not read (or make the client send) the rest of the body
        var body = Encoding.UTF8.GetBytes(error.Body(ex.Id));
        ctx.Response.StatusCode = error.Status;
        ctx.Response.ContentType = "text/plain";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        Record(ex, error.Status, forwarded, error.Rule, error.Body(ex.Id) + (ex.Notes.Count == 0 ? "" : " [" + string.Join(",", ex.Notes) + "]"));
    }

    internal void Record(Exchange ex, int status, bool forwarded, string? rule, string? detail) =>
        log.Add(new EndpointLogEntry(DateTimeOffset.UtcNow, ex.Id, ex.Request.Method, ex.Request.Path + ex.Request.RawQuery, status, forwarded, rule, detail));

    internal static bool IsEngineDown(Exception e) =>
        e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.Unknown }
            or SocketException || e.InnerException is SocketException;

    /// <summary>True when the failure is the client's: its body stream broke (reset mid-upload) or its connection went away.</summary>
    internal static bool IsClientGone(Exception e)
    {
        for (var inner = (Exception?)e; inner is not null; inner = inner.InnerException)
            if (inner is ClientBodyException or ConnectionResetException or ConnectionAbortedException)
                return true;
        return false;
    }

    internal TritonError EngineDown(Exception e) =>
        new(502, "BadGateway", $"docker engine {engine.Address} is unreachable: {(e.InnerException ?? e).Message}; retry when it is back", "engine.unreachable");
}

/// <summary>A failure reading the client's request body (so that it is not mistaken for the engine's).</summary>
internal sealed class ClientBodyException(Exception inner) : IOException("client request body: " + inner.Message, inner);

/// <summary>The client's request body; read failures surface as <see cref="ClientBodyException"/>.</summary>
internal sealed class ClientBodyStream(Stream inner) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not BadHttpRequestException { StatusCode: 408 or 413 })
        {
            throw new ClientBodyException(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
