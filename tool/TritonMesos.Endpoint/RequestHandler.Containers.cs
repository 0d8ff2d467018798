using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace TritonMesos.Endpoint;

internal sealed partial class RequestHandler
{
    /// <summary>Image configs seen lately: saves an engine call per create (Triton's image checks need Cmd, Entrypoint, ExposedPorts).</summary>
    private readonly ConcurrentDictionary<string, (long At, JsonObject? Config)> _images = new();

    private static readonly TimeSpan ImageCacheTime = TimeSpan.FromSeconds(10);

    /// <summary>POST /containers/create: validate, check the image, build the payload, check the name, then create (200, not 201).</summary>
    private async Task CreateAsync(HttpContext ctx, Exchange ex)
    {
        var (parseError, body) = await ReadJsonObjectAsync(ctx);
        if (parseError is not null)
        {
            await RefuseAsync(ctx, ex, parseError);
            return;
        }
        if (CreateRules.Validate(body!) is { } invalid)
        {
            await RefuseAsync(ctx, ex, invalid);
            return;
        }
        var imageName = (string)body!["Image"]!;
        var ct = ctx.RequestAborted;
        var prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await engine.VersionsAsync(ct));
        JsonObject? imageConfig;
        if (_images.TryGetValue(imageName, out var cached) && Stopwatch.GetElapsedTime(cached.At) < ImageCacheTime)
            imageConfig = cached.Config;
        else
        using (var image = await engine.Http.GetAsync($"{prefix}/images/{imageName}/json", ct))
        {
            if ((int)image.StatusCode == 404)
            {
                await RefuseAsync(ctx, ex, new TritonError(404, "ResourceNotFound", $"No such image: {imageName}", "create.no-such-image"));
                return;
            }
            var imageText = await image.Content.ReadAsStringAsync(ct);
            if (!image.IsSuccessStatusCode)
            {
                await WriteErrorAsync(ctx, ex, TritonError.Plain((int)image.StatusCode, ErrorMessage(imageText), "engine.error"), forwarded: true);
                return;
            }
            imageConfig = JsonNode.Parse(imageText)?["Config"] as JsonObject;
            _images[imageName] = (Stopwatch.GetTimestamp(), imageConfig);
        }
        var (payloadError, payload) = CreateRules.BuildPayload(body, imageConfig, options.Packages);
        if (payloadError is not null)
        {
            await RefuseAsync(ctx, ex, payloadError);
            return;
        }
        var query = QueryHelpers(ctx);
        var name = query.TryGetValue("name", out var n) ? n.ToString().TrimStart('/') : null;
        if (CreateRules.CheckName(name) is { } badName)
        {
            await RefuseAsync(ctx, ex, badName);
            return;
        }
        if (!string.IsNullOrEmpty(name))
        {
            using var existing = await engine.Http.GetAsync($"{prefix}/containers/{name}/json", ct);
            if (existing.IsSuccessStatusCode && (string?)JsonNode.Parse(await existing.Content.ReadAsStringAsync(ct))?["Name"] == "/" + name)
            {
                await RefuseAsync(ctx, ex, CreateRules.DuplicateName());
                return;
            }
        }
        if (payload!.Dropped.Count > 0)
            ex.Notes.Add("create.ignored-options[" + string.Join(" ", payload.Dropped) + "]");
        ex.Notes.Add($"create.package[{payload.Package.Name}]");
        if (payload.PublishedPorts.Count > 0)
            ex.Notes.Add("create.published-ports[" + string.Join(" ", payload.PublishedPorts) + "]");

        var content = new StringContent(payload.Body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await engine.Http.PostAsync($"{prefix}/containers/create{ex.Request.Query}", content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        if (status == 409)
        {
            await WriteErrorAsync(ctx, ex, CreateRules.DuplicateName(), forwarded: true);
            return;
        }
        if (status >= 400)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain(status, ErrorMessage(text), "engine.error"), forwarded: true);
            return;
        }
        ex.Notes.Add("create.status-200");
        var created = JsonNode.Parse(text)!.AsObject();
        await WriteJsonAsync(ctx, ex, 200, new JsonObject { ["Id"] = (string?)created["Id"], ["Warnings"] = new JsonArray() }, forwarded: true);
    }

    /// <summary>GET /containers/{id}/json in Triton's shape.</summary>
    private async Task InspectAsync(HttpContext ctx, Exchange ex)
    {
        using var response = await SendAsync(ctx, ex, ex.Request.Query, null);
        var text = await response.Content.ReadAsStringAsync(ctx.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain((int)response.StatusCode, ErrorMessage(text), "engine.error"), forwarded: true);
            return;
        }
        var container = JsonNode.Parse(text)!.AsObject();
        TritonViews.RewriteInspect(container);
        ex.Notes.Add("inspect.triton-view");
        await WriteJsonAsync(ctx, ex, 200, container, forwarded: true);
    }

    /// <summary>GET /containers/json with Triton's Ports (same numbers, 0.0.0.0).</summary>
    private async Task ListAsync(HttpContext ctx, Exchange ex)
    {
        using var response = await SendAsync(ctx, ex, ex.Request.Query, null);
        var text = await response.Content.ReadAsStringAsync(ctx.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain((int)response.StatusCode, ErrorMessage(text), "engine.error"), forwarded: true);
            return;
        }
        var list = JsonNode.Parse(text)!.AsArray();
        foreach (var entry in list.OfType<JsonObject>())
            TritonViews.RewriteListEntry(entry);
        ex.Notes.Add("list.triton-view");
        await WriteJsonAsync(ctx, ex, 200, list, forwarded: true);
    }

    /// <summary>POST stop: <c>t</c> must be an integer (422), already stopped is 204 (Docker 304).</summary>
    private async Task StopAsync(HttpContext ctx, Exchange ex)
    {
        if (QueryHelpers(ctx).TryGetValue("t", out var t) && !Regex.IsMatch(t.ToString(), @"^-?\d+$"))
        {
            await RefuseAsync(ctx, ex, TritonError.Validation("stop timeout parameter must be an integer", "stop.timeout"));
            return;
        }
        await ForwardAsync(ctx, ex, ex.Request.Query, NotModifiedIsNoContent);
    }

    /// <summary>DELETE: <c>link</c> refused, <c>v</c> implied (the VM and its volumes go together), running → 500.</summary>
    private async Task DeleteAsync(HttpContext ctx, Exchange ex)
    {
        var query = QueryHelpers(ctx);
        if (query.TryGetValue("link", out var link) && IsTrue(link.ToString()))
        {
            await RefuseAsync(ctx, ex, TritonError.Plain(500, "Conflict, cannot remove the default name of the container", "rm.link"));
            return;
        }
        var force = query.TryGetValue("force", out var f) && IsTrue(f.ToString());
        await ForwardAsync(ctx, ex, $"?v=1&force={(force ? 1 : 0)}", (_, status, message) =>
            status == 409 && message.Contains("running", StringComparison.OrdinalIgnoreCase)
                ? TritonError.Plain(500, "Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f", "rm.running")
                : null);
    }

    /// <summary>Triton's wait polls until stopped and reads no <c>condition</c>; see docs/endpoint.md for the non-strict mapping.</summary>
    private string WaitQuery(Exchange ex)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(ex.Request.Query);
        if (options.StrictTriton)
        {
            if (query.ContainsKey("condition"))
                ex.Notes.Add("wait.condition-ignored");
            return "";
        }
        if (query.TryGetValue("condition", out var condition) && condition == "removed")
        {
            // Triton never auto-removes (AutoRemove is ignored), so "removed" would wait forever: wait for the exit instead.
            ex.Notes.Add("wait.removed-as-next-exit");
            return "?condition=next-exit";
        }
        return ex.Request.Query;
    }

    /// <summary>Triton reads only follow, timestamps and tail, and always sends both streams.</summary>
    private static string LogsQuery(HttpContext ctx)
    {
        var query = QueryHelpers(ctx);
        var kept = new List<string> { "stdout=1", "stderr=1" };
        foreach (var name in new[] { "follow", "timestamps", "tail" })
            if (query.TryGetValue(name, out var value))
                kept.Add(name + "=" + Uri.EscapeDataString(value.ToString()));
        return "?" + string.Join("&", kept);
    }

    private static TritonError? NotModifiedIsNoContent(Exchange ex, int status, string message) =>
        status == 304 ? TritonError.Plain(204, "", "status.304-as-204") : null;

    private static TritonError? CreatedIsOk(Exchange ex, int status, string message) => status switch
    {
        201 => TritonError.Plain(200, "", "status.201-as-200"),
        409 when message.Contains("is not running", StringComparison.Ordinal) =>
            new TritonError(409, "DockerContainerNotRunning", $"Container {ex.Route.Id} is not running", "exec.not-running"),
        _ => null,
    };

    private static bool IsTrue(string value) => value is "1" or "true" or "True";

    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> QueryHelpers(HttpContext ctx) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(ctx.Request.QueryString.Value);

    /// <summary>Reads a JSON object body with the size cap: 413 when too large, 400 (restify's InvalidContent) when malformed.</summary>
    private async Task<(TritonError?, JsonObject?)> ReadJsonObjectAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        long total = 0;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            total += read;
            if (total <= options.MaxJsonBodyBytes)
                buffer.Write(chunk, 0, read);
            else if (total > 32 * options.MaxJsonBodyBytes)
                break; // stop draining: the connection is closed after the answer
        }
        if (total > options.MaxJsonBodyBytes)
            return (TooLarge(), null); // drained first, so that the client gets to read the 413
        if (buffer.Length == 0)
            return (null, []);
        try
        {
            return JsonNode.Parse(buffer.ToArray()) is JsonObject o
                ? (null, o)
                : (new TritonError(400, "InvalidContent", "Invalid JSON: body is not an object", "body.malformed-json"), null);
        }
        catch (JsonException e)
        {
            return (new TritonError(400, "InvalidContent", "Invalid JSON: " + e.Message, "body.malformed-json"), null);
        }
    }

    private TritonError TooLarge() =>
        new(413, "RequestEntityTooLarge", $"Request body size exceeds {options.MaxJsonBodyBytes}", "body.too-large");
}
