namespace TritonMesos.Endpoint;

/// <summary>How a <see cref="TritonEndpoint"/> listens, which engine it fronts and how strictly it copies Triton.</summary>
public sealed record EndpointOptions
{
    /// <summary>Where to listen: <c>tcp://127.0.0.1:PORT</c> (port 0 picks a free one).</summary>
    public string Listen { get; init; } = "tcp://127.0.0.1:0";

    /// <summary>The real Docker engine behind the endpoint: <c>unix:///path/docker.sock</c> or <c>tcp://host:port</c>.</summary>
    public string Engine { get; init; } = "unix:///var/run/docker.sock";

    /// <summary>Directory with <c>ca.pem</c>, <c>server-cert.pem</c> and <c>server-key.pem</c>; null serves plain HTTP.</summary>
    public string? TlsCertDir { get; init; }

    /// <summary>Allow a listen address outside 127.0.0.0/8 and ::1 (with TLS; plain HTTP also needs <see cref="AllowInsecure"/>).</summary>
    public bool AllowNonLoopback { get; init; }

    /// <summary>Allow a non-loopback listener without TLS: anyone who reaches it controls the engine's containers.</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>Registries the engine may pull from, push to and log in to (Docker Hub is <c>docker.io</c>).</summary>
    public IReadOnlyList<string> Registries { get; init; } = ["docker.io"];

    /// <summary>The default fabric's subnet (<c>--default-fabric-subnet</c>): where BRIDGE containers get their IPs.</summary>
    public string DefaultFabricSubnet { get; init; } = FabricNetwork.DefaultSubnet;

    /// <summary>Named fabric networks besides the default one (<c>--fabric NAME=SUBNET</c>), selected with <c>--net NAME</c>.</summary>
    public IReadOnlyList<FabricNetwork> Fabrics { get; init; } = [];

    /// <summary>The default fabric, then the named ones.</summary>
    public IReadOnlyList<FabricNetwork> AllFabrics =>
        [FabricNetwork.Create("--default-fabric-subnet", FabricNetwork.DefaultName, DefaultFabricSubnet), .. Fabrics];

    /// <summary>Largest <c>docker build</c> context accepted (spooled to a temporary file and checked before the engine gets it).</summary>
    public long MaxBuildContextBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Copy Triton exactly where that breaks modern clients: no <c>API-Version</c> header on <c>/_ping</c> and
    /// <c>wait</c> ignoring <c>condition</c>. Off by default (see docs/endpoint.md, "Deliberate deviations").
    /// </summary>
    public bool StrictTriton { get; init; }

    /// <summary>The <c>API-Version</c> advertised on <c>/_ping</c> when not <see cref="StrictTriton"/>.</summary>
    public string PingApiVersion { get; init; } = "1.41";

    /// <summary>The account login reported by <c>/info</c> when no client certificate names one (Triton's dev mode uses admin).</summary>
    public string Account { get; init; } = "admin";

    /// <summary>The data center name reported by <c>/info</c>.</summary>
    public string DatacenterName { get; init; } = "triton-mesos-local";

    /// <summary>Largest JSON request body the endpoint reads (create, exec); larger ones get 413.</summary>
    public long MaxJsonBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Packages that <c>--memory</c> rounds up to (smallest that fits).</summary>
    public IReadOnlyList<TritonPackage> Packages { get; init; } = TritonPackage.Samples;

    /// <summary>Where each request's log line goes (refusals name the rule that fired); null keeps them in memory only.</summary>
    public TextWriter? LogWriter { get; init; }

    /// <summary>A copy listening on <paramref name="listen"/>.</summary>
    public EndpointOptions WithListen(string listen) => this with { Listen = listen };

    /// <summary>A copy fronting <paramref name="engine"/>.</summary>
    public EndpointOptions WithEngine(string engine) => this with { Engine = engine };

    /// <summary>A copy that may (or may not) listen outside loopback.</summary>
    public EndpointOptions WithAllowNonLoopback(bool allow = true) => this with { AllowNonLoopback = allow };

    /// <summary>A copy that may (or may not) listen outside loopback without TLS.</summary>
    public EndpointOptions WithAllowInsecure(bool allow = true) => this with { AllowInsecure = allow };

    /// <summary>A copy serving TLS from <paramref name="dir"/> (null: plain HTTP).</summary>
    public EndpointOptions WithTlsCertDir(string? dir) => this with { TlsCertDir = dir };

    /// <summary>A copy with strict Triton compatibility on or off.</summary>
    public EndpointOptions WithStrictTriton(bool strict = true) => this with { StrictTriton = strict };

    /// <summary>A copy with one more named fabric network.</summary>
    public EndpointOptions WithFabric(string name, string subnet) =>
        this with { Fabrics = [.. Fabrics, FabricNetwork.Create("--fabric", name, subnet)] };

    /// <summary>A copy whose default fabric uses <paramref name="subnet"/>.</summary>
    public EndpointOptions WithDefaultFabricSubnet(string subnet) => this with { DefaultFabricSubnet = subnet };

    /// <summary>A copy whose engine may use only <paramref name="registries"/>.</summary>
    public EndpointOptions WithRegistries(params string[] registries) => this with { Registries = registries };

    /// <summary>A copy that logs each request to <paramref name="writer"/>.</summary>
    public EndpointOptions WithLogWriter(TextWriter? writer) => this with { LogWriter = writer };
}
