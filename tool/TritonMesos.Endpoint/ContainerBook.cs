using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TritonMesos.Endpoint;

/// <summary>
/// What the endpoint records about a container it created: the account, the ports published Triton-style, <c>-P</c>,
/// the links and the fabric. Kept in the container's <c>HostConfig.ContainerIDFile</c> (a field the engine stores and never
/// uses, and that <c>commit</c> does not copy into images), so it survives endpoint restarts and never leaks into labels.
/// </summary>
internal sealed record ContainerRecord(string Account, IReadOnlyList<string> Ports, bool PublishAll, IReadOnlyList<string> Links, string Network)
{
    public const string Prefix = "triton-mesos-endpoint:";

    /// <summary>The value written into <c>ContainerIDFile</c>.</summary>
    public string Encode() => Prefix + new JsonObject
    {
        ["account"] = Account,
        ["ports"] = new JsonArray(Ports.Select(p => (JsonNode)p).ToArray()),
        ["publishAll"] = PublishAll,
        ["links"] = new JsonArray(Links.Select(l => (JsonNode)l).ToArray()),
        ["network"] = Network,
    }.ToJsonString();

    /// <summary>The record in an engine inspect's <c>HostConfig.ContainerIDFile</c>, or null for containers made elsewhere.</summary>
    public static ContainerRecord? Decode(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        try
        {
            var o = JsonNode.Parse(value[Prefix.Length..])!.AsObject();
            return new ContainerRecord((string)o["account"]!,
                o["ports"]!.AsArray().Select(p => (string)p!).ToList(), (bool?)o["publishAll"] ?? false,
                (o["links"] as JsonArray)?.Select(l => (string)l!).ToList() ?? [], (string?)o["network"] ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            return null;
        }
    }
}

/// <summary>An engine container the account owns: its full id and the endpoint's record.</summary>
internal sealed record OwnedContainer(string Id, string Name, ContainerRecord Record);

/// <summary>
/// Resolves container references (names, ids, id prefixes) to containers of the caller's account. A container made
/// elsewhere on the engine (or by another account) does not exist for the client: 404, as Triton answers for another
/// account's container. Requests are then forwarded with the full id that was checked.
/// </summary>
internal sealed class ContainerBook(EngineClient engine)
{
    private readonly ConcurrentDictionary<string, ContainerRecord?> _byId = new();

    /// <summary>Remembers a container this endpoint just created.</summary>
    public void Add(string id, ContainerRecord record) => _byId[id] = record;

    /// <summary>The owned container <paramref name="reference"/> names, or null (unknown, or not the account's).</summary>
    public async Task<OwnedContainer?> ResolveAsync(string reference, string account, CancellationToken ct)
    {
        if (_byId.TryGetValue(reference, out var known) && known is not null)
            return known.Account == account ? new OwnedContainer(reference, "", known) : null;
        using var response = await engine.Http.GetAsync($"/containers/{reference}/json", ct);
        if (!response.IsSuccessStatusCode)
            return null;
        var inspect = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        var id = (string)inspect["Id"]!;
        var record = ContainerRecord.Decode((string?)inspect["HostConfig"]?["ContainerIDFile"]);
        _byId[id] = record;
        return record?.Account == account ? new OwnedContainer(id, ((string?)inspect["Name"] ?? "").TrimStart('/'), record) : null;
    }

    /// <summary>The record for a full id from a list answer (one engine call the first time an id is seen).</summary>
    public async Task<ContainerRecord?> RecordAsync(string id, CancellationToken ct)
    {
        if (_byId.TryGetValue(id, out var known))
            return known;
        using var response = await engine.Http.GetAsync($"/containers/{id}/json", ct);
        if (!response.IsSuccessStatusCode)
            return null;
        var record = ContainerRecord.Decode((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["HostConfig"]?["ContainerIDFile"]);
        _byId[id] = record;
        return record;
    }

    /// <summary>The exec's container when it is one of the account's (exec ids are remembered at exec create).</summary>
    public async Task<OwnedContainer?> ResolveExecAsync(string execId, string account, CancellationToken ct)
    {
        using var response = await engine.Http.GetAsync($"/exec/{execId}/json", ct);
        if (!response.IsSuccessStatusCode)
            return null;
        var containerId = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["ContainerID"];
        return containerId is null ? null : await ResolveAsync(containerId, account, ct);
    }
}
