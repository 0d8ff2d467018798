using TritonMesos.TestSupport;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>What a test needs from the run: the engine, the image, the endpoint, certificates, directories and a log.</summary>
public sealed record E2EContext(
    string RunId,
    Engine Engine,
    AgentImage Image,
    TestCertificates Tls,
    string? EndpointUrl,
    string WorkRoot,
    string LogRoot,
    Action<string> Log)
{
    /// <summary>Bound for a master or agent container to come up on this loaded machine.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Bound for a task to reach a state (launch through the endpoint included).</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
