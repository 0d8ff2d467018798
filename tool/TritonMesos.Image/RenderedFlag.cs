namespace TritonMesos.Image;

/// <summary>A flag ready to pass to Mesos, with where its value came from (profile line, --set, environment).</summary>
public sealed record RenderedFlag(string Name, string Value, bool IsBool, string Origin)
{
    /// <summary>The command-line form: <c>--name=value</c>, or <c>--name</c> / <c>--no-name</c> for booleans.</summary>
    public string ToArgument() =>
        IsBool ? (Value == "true" ? $"--{Name}" : $"--no-{Name}") : $"--{Name}={Value}";

    /// <summary>The environment form Mesos reads: <c>MESOS_NAME=value</c>.</summary>
    public string ToEnvironment() => $"{EnvironmentName(Name)}={Value}";

    /// <summary>The environment variable Mesos reads for a flag: <c>MESOS_</c> + upper-case name.</summary>
    public static string EnvironmentName(string flag) => "MESOS_" + flag.ToUpperInvariant();
}
