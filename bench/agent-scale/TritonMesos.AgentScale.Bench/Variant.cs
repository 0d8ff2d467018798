using System.Collections.Immutable;
using System.Text.Json.Nodes;
using TritonMesos.E2E.Tests.Mesos;

namespace TritonMesos.AgentScale.Bench;

/// <summary>
/// One agent configuration the bench compares: the Triton profile plus executor environment variables (rendered into
/// <c>--executor_environment_variables</c>, which the executor and its docker CLI children inherit) and agent flag overrides.
/// </summary>
public sealed record Variant(string Name)
{
    /// <summary>Variables for every executor (and the docker CLI it runs), name → value.</summary>
    public ImmutableSortedDictionary<string, string> ExecutorEnvironment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Agent flag overrides, name (without dashes) → value.</summary>
    public ImmutableSortedDictionary<string, string> AgentFlags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The Triton profile as shipped.</summary>
    public static Variant Baseline => new("baseline");

    /// <summary>Parses <c>NAME=ITEM,ITEM…</c>: an item <c>--flag=value</c> is an agent flag, <c>VAR=value</c> an executor variable.</summary>
    public static Variant Parse(string text)
    {
        var eq = text.IndexOf('=');
        var name = eq < 0 ? text : text[..eq];
        if (name.Length == 0)
            throw new BenchUsageException($"--variant '{text}' has no name", "write --variant NAME=VAR=value,--flag=value (or just NAME=)");
        var variant = new Variant(name);
        if (eq < 0)
            return variant;
        foreach (var item in text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = item.IndexOf('=');
            if (split <= 0)
                throw new BenchUsageException($"--variant {name}: item '{item}' is not NAME=value", "e.g. MALLOC_ARENA_MAX=2 or --executor_registration_timeout=10mins");
            var (key, value) = (item[..split], item[(split + 1)..]);
            variant = key.StartsWith("--", StringComparison.Ordinal)
                ? variant with { AgentFlags = variant.AgentFlags.SetItem(key[2..], value) }
                : variant with { ExecutorEnvironment = variant.ExecutorEnvironment.SetItem(key, value) };
        }
        return variant;
    }

    /// <summary>The agent spec of this variant on top of <paramref name="spec"/>.</summary>
    public AgentSpec Apply(AgentSpec spec)
    {
        if (!ExecutorEnvironment.IsEmpty)
        {
            var json = new JsonObject();
            foreach (var (key, value) in ExecutorEnvironment)
                json[key] = value;
            spec = spec.With("executor_environment_variables", json.ToJsonString());
        }
        foreach (var (key, value) in AgentFlags)
            spec = spec.With(key, value);
        return spec;
    }

    /// <summary>Short text for reports.</summary>
    public override string ToString() =>
        Name + (ExecutorEnvironment.IsEmpty && AgentFlags.IsEmpty ? " (profile as shipped)" : " ("
            + string.Join(", ", ExecutorEnvironment.Select(e => $"{e.Key}={e.Value}").Concat(AgentFlags.Select(f => $"--{f.Key}={f.Value}"))) + ")");
}
