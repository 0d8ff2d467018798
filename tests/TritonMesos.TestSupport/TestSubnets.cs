using System.Globalization;
using System.Net;

namespace TritonMesos.TestSupport;

/// <summary>
/// Fabric subnets for the tests that no route of this host uses yet: engines on one host must not share a bridge subnet
/// (the host would reach only one of them), and other engines (a private E2E engine, another checkout's tests) may be up.
/// </summary>
public static class TestSubnets
{
    private static readonly Lock Gate = new();
    private static readonly List<string> Reserved = [];
    private static Task<string>? _default;

    /// <summary>The default fabric's subnet for this test run: the engine network's own when it exists, else a free one.</summary>
    public static Task<string> DefaultFabricAsync(DockerEngine engine, string engineNetwork)
    {
        lock (Gate)
            return _default ??= ChooseDefaultAsync(engine, engineNetwork);
    }

    private static async Task<string> ChooseDefaultAsync(DockerEngine engine, string engineNetwork)
    {
        var existing = await engine.DockerAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", engineNetwork);
        return existing.ExitCode == 0 && existing.StandardOutput.Trim() is { Length: > 0 } subnet ? subnet : Free();
    }

    /// <summary>
    /// A subnet for the engine network <paramref name="engineNetwork"/> of <paramref name="engine"/>: the network is removed
    /// first when no container uses it (a stale bridge may share its subnet with another engine's), then a free subnet is
    /// reserved; when the network is in use, its own subnet.
    /// </summary>
    public static async Task<string> ForEngineNetworkAsync(DockerEngine engine, string engineNetwork)
    {
        var existing = await engine.DockerAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", engineNetwork);
        if (existing.ExitCode != 0)
            return Free();
        if ((await engine.DockerAsync("network", "rm", engineNetwork)).ExitCode == 0)
            return Free();
        var subnet = existing.StandardOutput.Trim();
        lock (Gate)
            Reserved.Add(subnet);
        return subnet;
    }

    /// <summary>
    /// The first 10.213.N.0/24 (N from 213) that overlaps no route of this host, none of <paramref name="exclude"/> and
    /// none handed out before in this process (so engines started one after the other before their bridges exist differ).
    /// </summary>
    public static string Free(params string[] exclude) => Free(24, exclude);

    /// <summary>
    /// <see cref="Free(string[])"/> for a block of <paramref name="prefixLength"/> (16 to 24): a /24 from 10.213.213.0/24
    /// on, a larger block aligned in 10.214.0.0/16 (so it takes none of the /24s).
    /// </summary>
    public static string Free(int prefixLength, params string[] exclude)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 24);
        var size = 1u << (32 - prefixLength);
        var (first, end, range) = prefixLength == 24 ? (Address("10.213.213.0"), Address("10.214.0.0"), "10.213.213.0-10.213.255.255")
            : (Address("10.214.0.0"), Address("10.215.0.0"), "10.214.0.0/16");
        lock (Gate)
        {
            var taken = Routes().Concat(exclude.Concat(Reserved).Select(Parse)).ToList();
            var mask = uint.MaxValue << (32 - prefixLength);
            for (var network = first; network < end; network += size)
            {
                if (taken.Any(t => (network & t.Mask & mask) == (t.Network & t.Mask & mask)))
                    continue;
                var candidate = $"{network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}/{prefixLength}";
                Reserved.Add(candidate);
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"no free /{prefixLength} subnet in {range} on this host: remove stale engine bridges (ip route | grep 10.21)");
    }

    /// <summary>The IPv4 routes of this host (/proc/net/route: destination and mask in little-endian hex), default route left out.</summary>
    private static IEnumerable<(uint Network, uint Mask)> Routes() =>
        File.Exists("/proc/net/route")
            ? File.ReadAllLines("/proc/net/route").Skip(1).Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length > 7 && f[7] != "00000000")
                .Select(f => (Swap(uint.Parse(f[1], NumberStyles.HexNumber)), Swap(uint.Parse(f[7], NumberStyles.HexNumber))))
                .ToList()
            : [];

    private static uint Swap(uint littleEndian) => (uint)IPAddress.NetworkToHostOrder((int)littleEndian);

    private static uint Address(string address) => Parse(address + "/32").Network;

    private static (uint Network, uint Mask) Parse(string subnet)
    {
        var slash = subnet.IndexOf('/');
        var bytes = IPAddress.Parse(subnet[..slash]).GetAddressBytes();
        var prefix = int.Parse(subnet[(slash + 1)..], CultureInfo.InvariantCulture);
        return ((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]), prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
    }
}
