using System.Collections.Immutable;
using TritonMesos;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>
/// How a test wants its agent: a profile from the image (<c>triton</c> or <c>upstream</c>) plus single-flag overrides
/// (flag name without dashes → value; booleans as true/false). The cluster adds the flags that wire the agent to this
/// run (master, ip, port, work_dir, and the endpoint's socket and TLS directory).
/// </summary>
public sealed record AgentSpec(string Profile)
{
    /// <summary>Flag overrides, name → value.</summary>
    public ImmutableSortedDictionary<string, string> Flags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Profile flags to drop, so the agent falls back to the upstream default of each.</summary>
    public ImmutableSortedSet<string> Unset { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>Client TLS directory mounted at /etc/triton/docker; null for no TLS flag (and no mount).</summary>
    public string? TlsDir { get; init; }

    /// <summary>Whether <c>--docker_socket</c> points at the run's endpoint (tcp://127.0.0.1:PORT). False keeps the profile's value.</summary>
    public bool UseEndpoint { get; init; } = true;

    /// <summary>The endpoint URL for <c>--docker_socket</c> when not the run's own endpoint (e.g. one in front of a private engine).</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Variables the profile reads (e.g. TRITON_REGION, TRITON_ZONE), passed to the agent container as they are.</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>A copy with one profile variable set.</summary>
    public AgentSpec WithVariable(string name, string value) => this with { Environment = Environment.SetItem(name, value) };

    /// <summary>Host unix socket to mount at /var/run/docker.sock (the upstream default path), or null.</summary>
    public string? MountEngineSocket { get; init; }

    /// <summary>The Triton profile with the agent's ports resource limited to <paramref name="ports"/> and small cpus/mem.</summary>
    public static AgentSpec Triton => new("triton");

    /// <summary>A copy with one flag set.</summary>
    public AgentSpec With(string flag, string value) => this with { Flags = Flags.SetItem(flag, value) };

    /// <summary>A copy with one boolean flag set.</summary>
    public AgentSpec With(string flag, bool value) => With(flag, value ? "true" : "false");

    /// <summary>A copy with one feature flag set; the generated <c>Features</c> name it, so a renamed flag breaks the build.</summary>
    public AgentSpec With(RuntimeFlag flag, string value) => With(flag.Name, value);

    /// <summary>A copy with one boolean feature flag set.</summary>
    public AgentSpec With(RuntimeFlag flag, bool value) => With(flag.Name, value);

    /// <summary>A copy that drops a feature flag from the profile (the agent then uses its upstream default).</summary>
    public AgentSpec WithoutFlag(RuntimeFlag flag) => WithoutFlag(flag.Name);

    /// <summary>A copy that drops a flag from the profile (the agent then uses the upstream default).</summary>
    public AgentSpec WithoutFlag(string flag) => this with { Unset = Unset.Add(flag), Flags = Flags.Remove(flag) };

    /// <summary>A copy with a different client TLS directory (or none).</summary>
    public AgentSpec WithTls(string? dir) => this with { TlsDir = dir };

    /// <summary>Short text for logs: profile and overrides.</summary>
    public override string ToString() =>
        Profile + (Environment.IsEmpty ? "" : " " + string.Join(" ", Environment.Select(e => $"{e.Key}={e.Value}")))
        + (Flags.IsEmpty ? "" : " " + string.Join(" ", Flags.Select(f => $"--{f.Key}={f.Value}")))
        + (Unset.IsEmpty ? "" : " without " + string.Join(",", Unset));
}
