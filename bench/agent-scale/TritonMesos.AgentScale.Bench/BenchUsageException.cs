namespace TritonMesos.AgentScale.Bench;

/// <summary>A bad command line or a missing prerequisite: the message names what is wrong, <see cref="NextStep"/> what to do.</summary>
public sealed class BenchUsageException(string problem, string nextStep) : Exception($"{problem}; {nextStep}")
{
    /// <summary>What the user should do next.</summary>
    public string NextStep { get; } = nextStep;
}
