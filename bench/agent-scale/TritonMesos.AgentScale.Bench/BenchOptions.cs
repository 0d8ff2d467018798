using System.Collections.Immutable;

namespace TritonMesos.AgentScale.Bench;

/// <summary>The bench's command line.</summary>
public sealed record BenchOptions
{
    /// <summary>Burst sizes, run in this order for each variant.</summary>
    public ImmutableArray<int> Tasks { get; init; } = [100];

    /// <summary>Agent configurations, run in this order for each burst size.</summary>
    public ImmutableArray<Variant> Variants { get; init; } = [Variant.Baseline];

    /// <summary>The agent image (required: --image or TRITON_MESOS_AGENT_IMAGE).</summary>
    public string Image { get; init; } = "";

    /// <summary>The run stops launching and tears down when MemAvailable falls below this (MiB).</summary>
    public long MinAvailableMiB { get; init; } = 3072;

    /// <summary>Whether to run the alternative (the same containers created and started through the Engine API, no Mesos) after each burst.</summary>
    public bool Api { get; init; } = true;

    /// <summary>Tasks per ACCEPT (0: the whole burst in one); the next wave is launched once the previous one runs.</summary>
    public int Wave { get; init; }

    /// <summary>Concurrent Engine API launches of the alternative.</summary>
    public int ApiConcurrency { get; init; } = 8;

    /// <summary>Bound for a burst to be all RUNNING.</summary>
    public TimeSpan BurstTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Where logs go (agent log, endpoint log, results).</summary>
    public string Out { get; init; } = Path.Combine(Path.GetTempPath(), "triton-mesos-agent-scale", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));

    /// <summary>Parses the command line; throws <see cref="BenchUsageException"/> naming the bad argument.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions { Image = Environment.GetEnvironmentVariable("TRITON_MESOS_AGENT_IMAGE") ?? "" };
        var variants = new List<Variant>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new BenchUsageException($"{args[i]} needs a value", "see --help");
            options = args[i] switch
            {
                "--tasks" => options with { Tasks = [.. Value().Split(',').Select(v => PositiveInt("--tasks", v))] },
                "--variant" => Add(variants, Variant.Parse(Value()), options),
                "--image" => options with { Image = Value() },
                "--min-available-mib" => options with { MinAvailableMiB = PositiveInt("--min-available-mib", Value()) },
                "--no-api" => options with { Api = false },
                "--wave" => options with { Wave = PositiveInt("--wave", Value()) },
                "--api-concurrency" => options with { ApiConcurrency = PositiveInt("--api-concurrency", Value()) },
                "--burst-timeout-min" => options with { BurstTimeout = TimeSpan.FromMinutes(PositiveInt("--burst-timeout-min", Value())) },
                "--out" => options with { Out = Value() },
                _ => throw new BenchUsageException($"unknown argument '{args[i]}'", "see --help"),
            };
        }
        if (variants.Count > 0)
            options = options with { Variants = [.. variants] };
        if (options.Image.Length == 0)
            throw new BenchUsageException("no agent image", "pass --image triton-mesos-agent:<tag> or set TRITON_MESOS_AGENT_IMAGE (`docker images triton-mesos-agent`)");
        return options;
    }

    private static BenchOptions Add(List<Variant> variants, Variant variant, BenchOptions options)
    {
        if (variants.Any(v => v.Name == variant.Name))
            throw new BenchUsageException($"--variant {variant.Name} is given twice", "give each variant its own name");
        variants.Add(variant);
        return options;
    }

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new BenchUsageException($"{option} '{value}' is not a positive integer", $"e.g. {option} 100");

    /// <summary>The usage text.</summary>
    public const string Usage = """
        agent-scale bench: N sleeping busybox tasks in one burst through master + patched agent (triton profile) + endpoint (TLS) + a private dockerd.
        usage: dotnet run -c Release --project bench/agent-scale/TritonMesos.AgentScale.Bench -- [options]
          --image TAG               agent image (or TRITON_MESOS_AGENT_IMAGE); required
          --tasks 100,500,1000      burst sizes (default 100)
          --variant NAME=ITEMS      agent configuration; ITEMS: VAR=value (executor environment) or --flag=value (agent flag),
                                    comma-separated; repeatable; default: baseline (the profile as shipped)
          --wave K                  launch K tasks per ACCEPT, the next K once those run (default: all in one burst;
                                    the start-up timeline is printed for one burst only)
          --min-available-mib 3072  stop launching and tear down when MemAvailable falls below this
          --no-api                  skip the alternative (the same containers through the Engine API, no Mesos)
          --api-concurrency 8       concurrent Engine API launches of the alternative
          --burst-timeout-min 15    bound for a burst to be all RUNNING
          --out DIR                 logs and results (default /tmp/triton-mesos-agent-scale/<time>)
        env: DOCKER_HOST (the engine that runs the master and agent containers; default unix:///var/run/docker.sock)
        """;
}
