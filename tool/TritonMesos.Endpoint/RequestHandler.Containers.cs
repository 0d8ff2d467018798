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

    /// <summary>POST /containers/create: decode as the engine would, validate that model, then send exactly it (200, not 201).</summary>
    private async Task CreateAsync(HttpContext ctx, Exchange ex)
    {
        var ct = ctx.RequestAborted;
        var (parseError, decoded) = await ReadBodyAsync(ctx, RequestSchemas.Create);
        if (parseError is not null)
        {
            await RefuseAsync(ctx, ex, parseError);
            return;
        }
        if (CreateRules.Validate(decoded!) is { } invalid)
        {
            await RefuseAsync(ctx, ex, invalid);
            return;
        }
        var imageName = (string)decoded!.Body["Image"]!;
        var prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await engine.VersionsAsync(ct));
        JsonObject? imageConfig;
        if (!ImageReference().IsMatch(imageName) || imageName.Split('/').Any(s => s is "" or "." or ".."))
        {
            await RefuseAsync(ctx, ex, new TritonError(404, "ResourceNotFound", $"No such image: {imageName}", "create.no-such-image"));
            return;
        }
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
        var requestedNetwork = CreateRules.RequestedNetwork(decoded.Body);
        var fabric = Fabrics.Select(requestedNetwork);
        var (payloadError, payload) = CreateRules.BuildPayload(decoded, ex.Account, requestedNetwork, fabric, imageConfig, options.Packages);
        if (payloadError is not null)
        {
            await RefuseAsync(ctx, ex, payloadError);
            return;
        }
        var name = ex.Request.Query.TryGetValue("name", out var n) ? n.TrimStart('/') : null;
        if (CreateRules.CheckName(name) is { } badName)
        {
            await RefuseAsync(ctx, ex, badName);
            return;
        }
        if (await VolumesFromAsync(payload!.Body, ex, ct) is { } volumesFromError)
        {
            await RefuseAsync(ctx, ex, volumesFromError);
            return;
        }
        if (payload.HardAffinities.Count > 0 && await UnsatisfiedAffinityAsync(payload.HardAffinities, ex, ct) is { } unsatisfied)
        {
            await RefuseAsync(ctx, ex, CreateRules.NoAllocatableServers(unsatisfied));
            return;
        }
        if (decoded.Dropped.Count > 0)
            ex.Notes.Add("create.ignored-options[" + string.Join(" ", decoded.Dropped) + "]");
        ex.Notes.Add($"create.package[{payload.Package.Name}]");
        if (payload.Record.Ports.Count > 0)
            ex.Notes.Add("create.published-ports[" + string.Join(" ", payload.Record.Ports) + "]");

        var query = string.IsNullOrEmpty(name) ? "" : "?name=" + Uri.EscapeDataString(name);
        await Fabrics.EnsureAsync(fabric!, ct);
        using var response = await engine.Http.PostAsync($"{prefix}/containers/create{query}", new StringContent(payload.Body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        if (status == 409)
        {
            // The engine's own check is the atomic one (a lookup first would race with other creates): nothing was created.
            await WriteErrorAsync(ctx, ex, CreateRules.DuplicateName(), forwarded: true);
            return;
        }
        if (status >= 400)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain(status, ErrorMessage(text), "engine.error"), forwarded: true);
            return;
        }
        ex.Notes.Add("create.status-200");
        var id = (string)JsonNode.Parse(text)!["Id"]!;
        Book.Add(id, payload.Record);
        await WriteJsonAsync(ctx, ex, 200, new JsonObject { ["Id"] = id, ["Warnings"] = new JsonArray() }, forwarded: true);
    }

    /// <summary>POST start/restart/stop: the container's fabric network must exist when it starts (recreated if someone removed it).</summary>
    private async Task LifecycleAsync(HttpContext ctx, Exchange ex)
    {
        if (ex.Route.Kind is RouteKind.Start or RouteKind.Restart && Fabrics.All.FirstOrDefault(f => f.Name == ex.Container!.Record.Network) is { } fabric)
            await Fabrics.EnsureAsync(fabric, ctx.RequestAborted, verify: true);
        await ForwardAsync(ctx, ex, Query(ex), NotModifiedIsNoContent);
    }

    /// <summary>--volumes-from only of the account's own containers (sdc-docker: owners must match), forwarded by full id.</summary>
    private async Task<TritonError?> VolumesFromAsync(JsonObject body, Exchange ex, CancellationToken ct)
    {
        if (body["HostConfig"]?["VolumesFrom"] is not JsonArray { Count: > 0 } volumesFrom)
            return null;
        var resolved = new JsonArray();
        foreach (var entry in volumesFrom.Select(e => (string)e!))
        {
            var parts = entry.Split(':');
            var reference = parts[0];
            if (parts.Length > 2 || parts.Length == 2 && parts[1] is not ("ro" or "rw") || !ContainerReference().IsMatch(reference))
                return TritonError.Plain(500, $"container \"{reference}\" not found", "create.volumes-from-not-found");
            var owned = await Book.ResolveAsync(reference, ex.Account, ct);
            if (owned is null)
                return await Book.RecordAsync(reference, ct) is null && !await EngineHasAsync(reference, ct)
                    ? TritonError.Plain(500, $"container \"{reference}\" not found", "create.volumes-from-not-found")
                    : TritonError.Plain(500, "Owners do not match, cannot --volumes-from", "create.volumes-from-owner");
            resolved.Add(owned.Id + (parts.Length == 2 ? ":" + parts[1] : ""));
        }
        body["HostConfig"]!["VolumesFrom"] = resolved;
        return null;
    }

    private async Task<bool> EngineHasAsync(string reference, CancellationToken ct)
    {
        using var response = await engine.Http.GetAsync($"/containers/{reference}/json", ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The first hard (<c>==</c>, not <c>~</c>) affinity no container of the account matches, or null.</summary>
    private async Task<CreateRules.Affinity?> UnsatisfiedAffinityAsync(IReadOnlyList<CreateRules.Affinity> affinities, Exchange ex, CancellationToken ct)
    {
        var containers = await OwnedListAsync(ex, "?all=1", ct) ?? [];
        foreach (var affinity in affinities)
        {
            var match = containers.Select(c => c.Entry).Any(c => affinity.Key switch
            {
                "container" => affinity.Matches(((string?)c["Names"]?[0])?.TrimStart('/')) || affinity.Matches((string?)c["Id"]),
                "image" => affinity.Matches((string?)c["Image"]),
                _ => affinity.Matches((string?)c["Labels"]?[affinity.Key]),
            });
            if (!match)
                return affinity;
        }
        return null;
    }

    /// <summary>The engine's container list reduced to the account's containers, each with the endpoint's record.</summary>
    private async Task<List<(JsonObject Entry, ContainerRecord Record)>?> OwnedListAsync(Exchange ex, string query, CancellationToken ct)
    {
        var all = await EngineJsonAsync<JsonArray>(ex, "/containers/json" + query, ct);
        if (all is null)
            return null;
        var owned = new List<(JsonObject, ContainerRecord)>();
        foreach (var entry in all.OfType<JsonObject>())
            if (await Book.RecordAsync((string)entry["Id"]!, ct) is { } record && record.Account == ex.Account)
                owned.Add((entry, record));
        return owned;
    }

    /// <summary>GET /containers/{id}/json in Triton's shape.</summary>
    private async Task InspectAsync(HttpContext ctx, Exchange ex)
    {
        using var response = await SendAsync(ctx, ex, Query(ex), null);
        var text = await response.Content.ReadAsStringAsync(ctx.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain((int)response.StatusCode, ErrorMessage(text), "engine.error"), forwarded: true);
            return;
        }
        var container = JsonNode.Parse(text)!.AsObject();
        var record = ex.Container!.Record;
        TritonViews.RewriteInspect(container, record, Fabrics.All.FirstOrDefault(f => f.Name == record.Network));
        ex.Notes.Add("inspect.triton-view");
        await WriteJsonAsync(ctx, ex, 200, container, forwarded: true);
    }

    /// <summary>GET /containers/json: the account's containers only, with Triton's Ports (same numbers, 0.0.0.0).</summary>
    private async Task ListAsync(HttpContext ctx, Exchange ex)
    {
        var list = await OwnedListAsync(ex, Query(ex), ctx.RequestAborted);
        if (list is null)
        {
            await WriteErrorAsync(ctx, ex, TritonError.Plain(500, "cannot list containers", "engine.error"), forwarded: true);
            return;
        }
        foreach (var (entry, record) in list)
            TritonViews.RewriteListEntry(entry, record);
        ex.Notes.Add("list.triton-view");
        await WriteJsonAsync(ctx, ex, 200, new JsonArray(list.Select(c => (JsonNode)c.Entry.DeepClone()).ToArray()), forwarded: true);
    }

    /// <summary>DELETE: <c>link</c> refused, <c>v</c> implied (the VM and its volumes go together), running → 500.</summary>
    private async Task DeleteAsync(HttpContext ctx, Exchange ex)
    {
        if (ex.Request.Query.TryGetValue("link", out var link) && IsTrue(link))
        {
            await RefuseAsync(ctx, ex, TritonError.Plain(500, "Conflict, cannot remove the default name of the container", "rm.link"));
            return;
        }
        var force = ex.Request.Query.TryGetValue("force", out var f) && IsTrue(f);
        await ForwardAsync(ctx, ex, $"?v=1&force={(force ? 1 : 0)}", (_, status, message) =>
            status == 409 && message.Contains("running", StringComparison.OrdinalIgnoreCase)
                ? TritonError.Plain(500, "Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f", "rm.running")
                : null);
    }

    /// <summary>Triton's wait polls until stopped and reads no <c>condition</c>; see docs/endpoint.md for the non-strict mapping.</summary>
    private string WaitQuery(Exchange ex)
    {
        if (options.StrictTriton)
        {
            if (ex.Request.Query.ContainsKey("condition"))
                ex.Notes.Add("wait.condition-ignored");
            return "";
        }
        if (ex.Request.Query.TryGetValue("condition", out var condition) && condition is not ("not-running" or "next-exit" or "removed"))
            return Query(ex, new Dictionary<string, string> { ["condition"] = "not-running" });
        return Query(ex);
    }

    /// <summary>Triton reads only follow, timestamps and tail, and always sends both streams.</summary>
    private static string LogsQuery(Exchange ex) =>
        Query(ex, new Dictionary<string, string> { ["stdout"] = "1", ["stderr"] = "1" });

    /// <summary>POST /containers/{id}/exec: the canonical ExecConfig (Privileged dropped, as Triton ignores it); 200, not 201.</summary>
    private async Task ExecCreateAsync(HttpContext ctx, Exchange ex)
    {
        var (parseError, decoded) = await ReadBodyAsync(ctx, RequestSchemas.ExecCreate);
        parseError ??= decoded!.TypeRefusal("exec.field-type");
        if (parseError is not null)
        {
            await RefuseAsync(ctx, ex, parseError);
            return;
        }
        if (decoded!.Dropped.Count > 0)
            ex.Notes.Add("exec.ignored-options[" + string.Join(" ", decoded.Dropped) + "]");
        var content = new StringContent(decoded.Body.ToJsonString(), Encoding.UTF8, "application/json");
        await ForwardAsync(ctx, ex, "", CreatedIsOk, content);
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

    /// <summary>Reads a JSON body with the size cap (413) and decodes it with Go's semantics against <paramref name="schema"/>; 400 when malformed.</summary>
    internal async Task<(TritonError?, GoDecoded?)> ReadBodyAsync(HttpContext ctx, GoType.Struct schema)
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
            return (Admission.TooLarge(options), null); // drained first, so that the client gets to read the 413
        return DecodeBody(buffer.ToArray(), schema);
    }

    /// <summary>Go's decoding of a whole body (empty means <c>{}</c>); 400 InvalidContent when it is not one JSON object.</summary>
    internal static (TritonError?, GoDecoded?) DecodeBody(byte[] body, GoType.Struct schema)
    {
        if (body.Length == 0)
            return (null, new GoDecoded([], [], []));
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => (null, GoJson.Decode(document.RootElement, schema)),
                JsonValueKind.Null => (null, new GoDecoded([], [], [])), // Go: null into a struct pointer leaves it empty
                _ => (new TritonError(400, "InvalidContent", "Invalid JSON: body is not an object", "body.malformed-json"), null),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return (new TritonError(400, "InvalidContent", "Invalid JSON: " + e.Message, "body.malformed-json"), null);
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.:@/-]*$")] private static partial Regex ImageReference();
    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")] private static partial Regex ContainerReference();
}
