using static TritonMesos.Endpoint.GoType;

namespace TritonMesos.Endpoint;

/// <summary>
/// The allow-lists: for each request body the endpoint forwards, the Docker (Go) fields that Triton supports, with the Go
/// types of moby's API structs. A field not listed is dropped (Triton ignores it); a listed field of the wrong type is refused.
/// </summary>
internal static class RequestSchemas
{
    private static Struct Of(params (string Name, GoType Type)[] fields) => new(fields.ToDictionary(f => f.Name, f => f.Type));

    private static readonly Struct PortBinding = Of(("HostIp", Text), ("HostPort", Text)) with { Pointer = false };

    /// <summary>container.HostConfig: only what sdc-docker reads (plus AutoRemove, see docs/endpoint.md).</summary>
    public static readonly Struct HostConfig = Of(
        ("Binds", Strings), ("NetworkMode", Text), ("PortBindings", new Map(new Slice(PortBinding))), ("PublishAllPorts", Bool),
        ("Links", Strings), ("LogConfig", Of(("Type", Text), ("Config", StringMap)) with { Pointer = false }),
        ("RestartPolicy", Of(("Name", Text), ("MaximumRetryCount", Int)) with { Pointer = false }), ("Memory", Int),
        ("Dns", Strings), ("DnsSearch", Strings), ("ExtraHosts", Strings), ("VolumesFrom", Strings), ("AutoRemove", Bool));

    private static readonly Struct EndpointSettings = Of(
        ("IPAMConfig", Of(("IPv4Address", Text), ("IPv6Address", Text))), ("Links", Strings), ("Aliases", Strings));

    /// <summary>POST /containers/create: container.Config's supported fields, HostConfig and NetworkingConfig (and Triton's body Name check).</summary>
    public static readonly Struct Create = Of(
        ("Hostname", Text), ("Domainname", Text), ("User", Text), ("AttachStdin", Bool), ("AttachStdout", Bool),
        ("AttachStderr", Bool), ("ExposedPorts", Set), ("Tty", Bool), ("OpenStdin", Bool), ("StdinOnce", Bool), ("Env", Strings),
        ("Cmd", Strings), ("Image", Text), ("Volumes", Set), ("WorkingDir", Text), ("Entrypoint", Strings), ("Labels", StringMap),
        ("Name", Text), ("HostConfig", HostConfig), ("NetworkingConfig", Of(("EndpointsConfig", new Map(EndpointSettings)))));

    /// <summary>POST /containers/{id}/exec: types.ExecConfig without Privileged (Triton ignores it), DetachKeys.</summary>
    public static readonly Struct ExecCreate = Of(
        ("AttachStdin", Bool), ("AttachStdout", Bool), ("AttachStderr", Bool), ("Tty", Bool), ("Detach", Bool), ("Cmd", Strings),
        ("Env", Strings), ("User", Text), ("WorkingDir", Text));

    /// <summary>POST /exec/{id}/start: types.ExecStartCheck.</summary>
    public static readonly Struct ExecStart = Of(("Detach", Bool), ("Tty", Bool));

    /// <summary>POST /commit body: the container.Config overrides Triton reads (none of them host-related).</summary>
    public static readonly Struct Commit = Of(("Cmd", Strings), ("Entrypoint", Strings), ("Env", Strings), ("Labels", StringMap),
        ("ExposedPorts", Set), ("User", Text), ("WorkingDir", Text), ("Volumes", Set));
}
