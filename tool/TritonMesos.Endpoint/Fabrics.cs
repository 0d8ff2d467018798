using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TritonMesos.Endpoint;

/// <summary>
/// The endpoint's fabric networks on the engine: resolved by name (or id, or unique id prefix) as Triton resolves
/// <c>--net</c>, and created on the engine when missing (a bridge network with the configured subnet, never publishing ports).
/// </summary>
internal sealed class Fabrics(EngineClient engine, IReadOnlyList<FabricNetwork> fabrics)
{
    private readonly ConcurrentDictionary<string, string> _engineIds = new();
    private readonly SemaphoreSlim _ensureLock = new(1, 1);

    /// <summary>Every fabric, the default first.</summary>
    public IReadOnlyList<FabricNetwork> All => fabrics;

    /// <summary>The default fabric (what BRIDGE, <c>bridge</c>, <c>default</c> and no network select).</summary>
    public FabricNetwork Default => fabrics[0];

    /// <summary>The fabric a network name selects, or null when there is none (Triton: 404 <c>network x not found</c>).</summary>
    public FabricNetwork? Select(string requested)
    {
        if (CreateRules.IsDefaultNetwork(requested))
            return Default;
        return fabrics.FirstOrDefault(f => f.Name == requested) ?? (requested.Length >= 3 && requested.All(char.IsAsciiHexDigitLower)
            ? fabrics.Where(f => Id(f).StartsWith(requested, StringComparison.Ordinal)).ToList() is [var only] ? only : null
            : null);
    }

    /// <summary>The fabric's id as clients see it: its engine network's id once known, else a stable hash of its name.</summary>
    public string Id(FabricNetwork fabric) => _engineIds.TryGetValue(fabric.Name, out var id) ? id
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("triton-mesos-fabric:" + fabric.Name)));

    /// <summary>
    /// Creates the fabric's engine network when missing; refuses one whose subnet differs from the configured one.
    /// Known networks are not looked up again unless <paramref name="verify"/> (before a start: someone may have removed it).
    /// </summary>
    public async Task EnsureAsync(FabricNetwork fabric, CancellationToken ct, bool verify = false)
    {
        if (verify && _engineIds.TryGetValue(fabric.Name, out var known))
        {
            using var response = await engine.Http.GetAsync($"/networks/{known}", ct);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                _engineIds.TryRemove(fabric.Name, out _);
        }
        if (_engineIds.ContainsKey(fabric.Name))
            return;
        await _ensureLock.WaitAsync(ct);
        try
        {
            if (_engineIds.ContainsKey(fabric.Name))
                return;
            var existing = await InspectAsync(fabric, ct);
            if (existing is null)
            {
                using var created = await engine.Http.PostAsJsonAsync("/networks/create", new JsonObject
                {
                    ["Name"] = fabric.EngineName, ["Driver"] = "bridge", ["CheckDuplicate"] = true,
                    ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = fabric.Subnet, ["Gateway"] = fabric.Gateway }) },
                    ["Options"] = new JsonObject { ["com.docker.network.driver.mtu"] = fabric.Mtu.ToString() },
                    ["Labels"] = new JsonObject { ["triton-mesos.endpoint.fabric"] = fabric.Name },
                }, ct);
                // Another endpoint on the same engine may have created it at the same moment (409, or "Pool overlaps"): look again.
                existing = await InspectAsync(fabric, ct);
                if (existing is null)
                    throw new FabricException(fabric, "the engine refused to create it: " + RequestHandler.ErrorMessage(await created.Content.ReadAsStringAsync(ct)));
            }
            var subnet = (string?)existing["IPAM"]?["Config"]?[0]?["Subnet"];
            if (subnet != fabric.Subnet || (string?)existing["Driver"] != "bridge")
                throw new FabricException(fabric, $"engine network {fabric.EngineName} already exists with subnet {subnet} (driver {(string?)existing["Driver"]})");
            _engineIds[fabric.Name] = (string)existing["Id"]!;
        }
        finally
        {
            _ensureLock.Release();
        }
    }

    private async Task<JsonNode?> InspectAsync(FabricNetwork fabric, CancellationToken ct)
    {
        using var response = await engine.Http.GetAsync($"/networks/{fabric.EngineName}", ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) : null;
    }
}

/// <summary>A fabric whose engine network cannot be used as configured.</summary>
internal sealed class FabricException(FabricNetwork fabric, string reason)
    : Exception($"fabric {fabric.Name} ({fabric.Subnet}): {reason}; remove that engine network or configure another subnet (--fabric / --default-fabric-subnet)");
