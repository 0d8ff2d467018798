using System.Globalization;
using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>What happened in a build, as parsed from BuildKit's plain progress output.</summary>
public abstract record BuildEvent(int Step, string Name, TimeSpan Elapsed);

/// <summary>A step (BuildKit vertex, e.g. <c>[builder 4/6] RUN …</c>) started.</summary>
public sealed record StepStarted(int Step, string Name, TimeSpan Elapsed) : BuildEvent(Step, Name, Elapsed);

/// <summary>A line of output of a running step, with the step's own clock.</summary>
public sealed record StepOutput(int Step, string Name, TimeSpan Elapsed, string Text) : BuildEvent(Step, Name, Elapsed);

/// <summary>A step finished: built (with its duration) or taken from the layer cache.</summary>
public sealed record StepFinished(int Step, string Name, TimeSpan Elapsed, TimeSpan? Duration, bool Cached) : BuildEvent(Step, Name, Elapsed);

/// <summary>A step failed.</summary>
public sealed record StepFailed(int Step, string Name, TimeSpan Elapsed, string Error) : BuildEvent(Step, Name, Elapsed);

/// <summary>
/// Parses <c>docker build --progress=plain</c> (BuildKit) output line by line into <see cref="BuildEvent"/>s and keeps each
/// step's output, so a failure can be reported with the failing step's last lines.
/// </summary>
public sealed partial class BuildProgress
{
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, List<string>> _output = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<string> _unparsed = new();

    /// <summary>The first step that failed, if any.</summary>
    public int? FailedStep { get; private set; }

    /// <summary>The error text BuildKit gave for the failed step.</summary>
    public string? FailedError { get; private set; }

    /// <summary>Steps that were built (not cached), with their duration.</summary>
    public List<(int Step, string Name, TimeSpan Duration)> Built { get; } = new();

    /// <summary>Steps taken from the cache.</summary>
    public List<(int Step, string Name)> Cached { get; } = new();

    [GeneratedRegex(@"^#(?<id>\d+) (?<rest>.*)$")]
    private static partial Regex VertexLine();

    [GeneratedRegex(@"^(?<t>\d+(\.\d+)?) (?<text>.*)$")]
    private static partial Regex TimedLine();

    [GeneratedRegex(@"^DONE (?<t>\d+(\.\d+)?)s$")]
    private static partial Regex DoneLine();

    /// <summary>Feeds one output line; returns the event it means, or null.</summary>
    public BuildEvent? Feed(string line)
    {
        var m = VertexLine().Match(line);
        if (!m.Success)
        {
            if (line.Length > 0)
                _unparsed.Add(line);
            return null;
        }
        var id = int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture);
        var rest = m.Groups["rest"].Value;
        var now = _clock.Elapsed;
        if (!_names.ContainsKey(id) && !rest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            _names[id] = rest;
            _output[id] = new List<string>();
            return new StepStarted(id, rest, now);
        }
        var name = _names.GetValueOrDefault(id, "#" + id);
        if (rest == "CACHED")
        {
            Cached.Add((id, name));
            return new StepFinished(id, name, now, null, Cached: true);
        }
        if (DoneLine().Match(rest) is { Success: true } done)
        {
            var duration = TimeSpan.FromSeconds(double.Parse(done.Groups["t"].Value, CultureInfo.InvariantCulture));
            Built.Add((id, name, duration));
            return new StepFinished(id, name, now, duration, Cached: false);
        }
        if (rest.StartsWith("ERROR", StringComparison.Ordinal))
        {
            var error = rest.StartsWith("ERROR: ", StringComparison.Ordinal) ? rest["ERROR: ".Length..] : rest;
            if (FailedStep is null)
            {
                FailedStep = id;
                FailedError = error;
            }
            return new StepFailed(id, name, now, error);
        }
        if (TimedLine().Match(rest) is { Success: true } timed)
        {
            var text = timed.Groups["text"].Value;
            if (!_output.TryGetValue(id, out var lines))
                _output[id] = lines = new List<string>();
            lines.Add(text);
            return new StepOutput(id, name, TimeSpan.FromSeconds(double.Parse(timed.Groups["t"].Value, CultureInfo.InvariantCulture)), text);
        }
        return null;
    }

    /// <summary>The name of a step.</summary>
    public string NameOf(int step) => _names.GetValueOrDefault(step, "#" + step);

    /// <summary>The last <paramref name="count"/> output lines of a step.</summary>
    public IReadOnlyList<string> LastLines(int step, int count = 50) =>
        _output.TryGetValue(step, out var lines) ? lines.Skip(Math.Max(0, lines.Count - count)).ToList() : [];

    /// <summary>Output the CLI wrote outside any step (e.g. "failed to solve: …" or CLI errors).</summary>
    public IReadOnlyList<string> Unparsed => _unparsed;
}
