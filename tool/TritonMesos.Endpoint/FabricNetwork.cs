using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// A Triton fabric network as the endpoint models it: a name clients select (<c>--net NAME</c>) and an IPv4 subnet. On
/// the engine it is a bridge network the endpoint owns (<see cref="EngineName"/>), so each container gets its own IP
/// on that subnet, reachable from the engine's host; no port is ever published on the host.
/// </summary>
public sealed partial record FabricNetwork(string Name, string Subnet)
{
    /// <summary>The name of an account's default fabric on Triton; <c>bridge</c>, <c>default</c> or no network select it.</summary>
    public const string DefaultName = "My-Fabric-Network";

    /// <summary>The default fabric's subnet unless configured: a private /24 unlikely to collide with Docker's own pools (172.17-31/16, 192.168/20).</summary>
    public const string DefaultSubnet = "10.213.213.0/24";

    /// <summary>The default fabric with the default subnet.</summary>
    public static FabricNetwork Default { get; } = new(DefaultName, DefaultSubnet);

    /// <summary>The bridge network on the engine that carries this fabric.</summary>
    public string EngineName => EngineNameOf(Name);

    /// <summary>The engine bridge network that carries the fabric named <paramref name="name"/>.</summary>
    public static string EngineNameOf(string name) => "triton-mesos-fabric-" + name;

    /// <summary>The first address of the subnet: the bridge's (host's) address and the containers' gateway.</summary>
    public string Gateway
    {
        get
        {
            var (network, _) = ParseSubnet(Subnet)!.Value;
            var bytes = network.GetAddressBytes();
            bytes[3] += 1;
            return new IPAddress(bytes).ToString();
        }
    }

    /// <summary>The MTU reported in <c>GET /networks</c> (the engine bridge's default).</summary>
    public int Mtu => 1500;

    /// <summary>Parses <c>NAME=SUBNET</c> (the <c>--fabric</c> option); a clear error naming the option otherwise.</summary>
    public static FabricNetwork Parse(string option, string value)
    {
        var eq = value.IndexOf('=');
        if (eq <= 0)
            throw new TritonMesosException($"{option} '{value}' is not NAME=SUBNET", nextStep: $"e.g. {option} backend=10.213.214.0/24");
        return Create(option, value[..eq], value[(eq + 1)..]);
    }

    /// <summary>A validated fabric: the name as Triton allows it, an IPv4 subnet of /8 to /29 given by its network address.</summary>
    public static FabricNetwork Create(string option, string name, string subnet)
    {
        if (!NameRegex().IsMatch(name) || name is "bridge" or "default" or "host" or "none")
            throw new TritonMesosException($"{option}: fabric name '{name}' must match [a-zA-Z0-9][a-zA-Z0-9_.-]* and not be bridge, default, host or none",
                nextStep: "choose another name");
        if (ParseSubnet(subnet) is not { } parsed || parsed.Prefix is < 8 or > 29)
            throw new TritonMesosException($"{option}: '{subnet}' is not an IPv4 subnet between /8 and /29 written with its network address",
                nextStep: "e.g. 10.213.214.0/24");
        return new FabricNetwork(name, subnet);
    }

    private static (IPAddress Network, int Prefix)? ParseSubnet(string subnet)
    {
        var slash = subnet.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(subnet[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(subnet[(slash + 1)..], out var prefix) || prefix is < 0 or > 32)
            return null;
        var value = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(ip.GetAddressBytes()));
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (value & ~mask) == 0 ? (ip, prefix) : null;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")] private static partial Regex NameRegex();
}
