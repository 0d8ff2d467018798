using System.Net;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>A named fabric network the run's endpoint serves (<c>--fabric NAME=SUBNET</c>), as a USER-network task names it.</summary>
public sealed record FabricNetwork(string Name, string Subnet)
{
    /// <summary>Whether <paramref name="ip"/> lies in this fabric's IPv4 subnet.</summary>
    public bool Contains(string ip) => IPNetwork.Parse(Subnet).Contains(IPAddress.Parse(ip));
}
