using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>
/// A patch in <c>git format-patch</c> form with this project's header fields in its trailer block
/// (Feature, Runtime-Flag, Upstream-Status, Forwarded, Last-Update).
/// </summary>
public sealed partial record PatchFile(
    string Path,
    string Author,
    string Date,
    string Subject,
    string Body,
    IReadOnlyList<PatchTrailer> Trailers,
    string Diff,
    int DiffLine)
{
    /// <summary>Trailer keys this project defines; others are kept but not interpreted.</summary>
    public static readonly IReadOnlyList<string> KnownKeys =
        ["Feature", "Runtime-Flag", "Upstream-Status", "Forwarded", "Last-Update"];

    /// <summary>The file name without directory.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The <c>Feature:</c> id, e.g. <c>sandbox-mount</c>.</summary>
    public string? Feature => Trailer("Feature");

    /// <summary>Every <c>Runtime-Flag:</c> that parses.</summary>
    public IReadOnlyList<RuntimeFlag> RuntimeFlags =>
        Trailers.Where(t => t.Key == "Runtime-Flag")
            .Select(t => RuntimeFlag.TryParse(t.Value, out _))
            .OfType<RuntimeFlag>()
            .ToList();

    /// <summary>The parsed <c>Upstream-Status:</c>, if present and valid.</summary>
    public UpstreamStatus? UpstreamStatus =>
        Trailer("Upstream-Status") is { } value ? TritonMesos.UpstreamStatus.TryParse(value, out _) : null;

    /// <summary>The value of the last trailer with that key.</summary>
    public string? Trailer(string key) => Trailers.LastOrDefault(t => t.Key == key)?.Value;

    [GeneratedRegex(@"^Last-Update:.*$", RegexOptions.Multiline)]
    private static partial Regex LastUpdateLine();

    /// <summary>Patch text with <c>Last-Update: <paramref name="date"/></c> in its commit message (added to the trailer block when missing).</summary>
    public static string WithLastUpdate(string patchText, string date)
    {
        var end = patchText.IndexOf("\n---\n", StringComparison.Ordinal);
        if (end < 0)
            return patchText;
        var message = patchText[..end];
        message = LastUpdateLine().IsMatch(message)
            ? LastUpdateLine().Replace(message, "Last-Update: " + date, 1)
            : message.TrimEnd('\n') + "\nLast-Update: " + date;
        return message + patchText[end..];
    }

    /// <summary>Parses a patch file; throws <see cref="TritonMesosException"/> naming the file and line.</summary>
    public static PatchFile Load(string path)
    {
        if (!File.Exists(path))
            throw new TritonMesosException("patch file not found", path);
        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses patch text; <paramref name="path"/> is only used in errors.</summary>
    public static PatchFile Parse(string path, string text)
    {
        var message = PatchMessage.Read(text);
        if (message.Error is { } error)
            throw new TritonMesosException(error.Message, path, error.Line, error.NextStep);
        return new PatchFile(path, message.Headers["From"], message.Headers.GetValueOrDefault("Date") ?? "", message.Subject,
            string.Join('\n', message.Body), message.Trailers.Select(t => new PatchTrailer(t.Key, t.Value, t.Line)).ToList(),
            string.Join('\n', message.Lines[message.DiffStart..]), message.DiffStart + 1);
    }

    /// <summary>Every problem with the project's header fields, each naming the file and line.</summary>
    public IReadOnlyList<TritonMesosException> ValidateHeaders()
    {
        var problems = new List<TritonMesosException>();
        var firstLine = Trailers.Count > 0 ? Trailers[0].Line : (int?)null;
        if (Feature is null)
            problems.Add(new TritonMesosException("missing 'Feature:' trailer", Path, firstLine,
                "add e.g. 'Feature: sandbox-mount' to the last paragraph of the commit message"));
        if (Trailer("Upstream-Status") is null)
            problems.Add(new TritonMesosException("missing 'Upstream-Status:' trailer", Path, firstLine,
                "add e.g. 'Upstream-Status: Pending'"));
        foreach (var t in Trailers)
        {
            string? error = null;
            switch (t.Key)
            {
                case "Runtime-Flag": RuntimeFlag.TryParse(t.Value, out error); break;
                case "Upstream-Status": TritonMesos.UpstreamStatus.TryParse(t.Value, out error); break;
                case "Last-Update" when !DateOnly.TryParseExact(t.Value, "yyyy-MM-dd", out _):
                    error = $"Last-Update must be YYYY-MM-DD, got '{t.Value}'";
                    break;
            }
            if (error is not null)
                problems.Add(new TritonMesosException(error, Path, t.Line));
        }
        return problems;
    }
}
