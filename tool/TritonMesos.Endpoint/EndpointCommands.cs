using System.CommandLine;

namespace TritonMesos.Endpoint;

/// <summary>The <c>triton-mesos endpoint</c> command: serve the Triton-compatible Docker endpoint until interrupted.</summary>
public sealed class EndpointCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands()
    {
        var listen = new Option<string>("--listen") { Description = "Address to serve: tcp://127.0.0.1:PORT (loopback only unless --allow-non-loopback)", DefaultValueFactory = _ => "tcp://127.0.0.1:2375" };
        var engine = new Option<string>("--engine") { Description = "The real Docker engine: unix:///path/docker.sock or tcp://host:port", Required = true };
        var tlsDir = new Option<string?>("--tls-cert-dir") { Description = "Serve TLS: directory with ca.pem (client CA), server-cert.pem, server-key.pem; client certificates required" };
        var nonLoopback = new Option<bool>("--allow-non-loopback") { Description = "Allow listening on an address beyond loopback (needs --tls-cert-dir, or --allow-insecure)" };
        var insecure = new Option<bool>("--allow-insecure") { Description = "With --allow-non-loopback: serve plain HTTP without client certificates (anyone who reaches the address controls the engine's containers)" };
        var registries = new Option<string[]>("--registry") { Description = "A registry the engine may pull from, push to and log in to (repeatable; default docker.io; 'none' for no registry at all: pulls of images the engine holds are answered 'up to date', others refused)", AllowMultipleArgumentsPerToken = false };
        var fabrics = new Option<string[]>("--fabric") { Description = "A named fabric network NAME=SUBNET (repeatable, e.g. --fabric backend=10.213.214.0/24): containers run with --net NAME get an IP on it (an engine bridge network the endpoint creates; no host ports)" };
        var defaultSubnet = new Option<string>("--default-fabric-subnet") { Description = $"Subnet of the default fabric ({FabricNetwork.DefaultName}), where containers with no network, --net bridge or --net default get their own IP", DefaultValueFactory = _ => FabricNetwork.DefaultSubnet };
        var strict = new Option<bool>("--strict-triton") { Description = "No API-Version on /_ping and wait ignores condition, exactly as Triton (breaks docker run exit codes of modern CLIs)" };
        var quiet = new Option<bool>("--quiet") { Description = "Do not log each request to stderr" };
        var command = new Command("endpoint", "Serve a Triton-compatible Docker Remote API endpoint in front of a real Docker engine.");
        foreach (var option in new Option[] { listen, engine, tlsDir, nonLoopback, insecure, registries, fabrics, defaultSubnet, strict, quiet })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new EndpointOptions()
                .WithListen(parse.GetValue(listen)!)
                .WithEngine(parse.GetValue(engine)!)
                .WithTlsCertDir(parse.GetValue(tlsDir))
                .WithAllowNonLoopback(parse.GetValue(nonLoopback))
                .WithAllowInsecure(parse.GetValue(insecure))
                .WithRegistries(parse.GetValue(registries) is { Length: > 0 } chosen ? [.. chosen.Where(r => r != "none")] : ["docker.io"])
                .WithStrictTriton(parse.GetValue(strict))
                .WithDefaultFabricSubnet(parse.GetValue(defaultSubnet)!)
                .WithLogWriter(parse.GetValue(quiet) ? null : Console.Error);
            foreach (var fabric in (parse.GetValue(fabrics) ?? []).Select(f => FabricNetwork.Parse("--fabric", f)))
                options = options.WithFabric(fabric.Name, fabric.Subnet);
            await using var running = await TritonEndpoint.StartAsync(options, ct);
            Console.Out.WriteLine($"listening on {running.Address}");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return [command];
    }
}
