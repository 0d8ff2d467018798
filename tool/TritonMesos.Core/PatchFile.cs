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

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9-]*):\s?(?<value>.*)$")]
    private static partial Regex TrailerLine();

    [GeneratedRegex(@"^\[PATCH[^\]]*\]\s*")]
    private static partial Regex SubjectPrefix();

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
        if (text.Length == 0)
            throw new TritonMesosException("the patch is empty", path, nextStep: "re-export it with `triton-mesos export` or remove it from patches/series");
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (!lines[0].StartsWith("From ", StringComparison.Ordinal))
            throw new TritonMesosException("not a git format-patch file (first line must start with 'From ')", path, 1,
                "create patches with `git format-patch` or `triton-mesos export`");

        // Mail headers, with RFC 822 continuation lines.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 1;
        string? lastKey = null;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if ((lines[i][0] == ' ' || lines[i][0] == '\t') && lastKey is not null)
            {
                headers[lastKey] += " " + lines[i].Trim();
                continue;
            }
            var colon = lines[i].IndexOf(':');
            if (colon <= 0)
                throw new TritonMesosException($"malformed mail header '{lines[i]}'", path, i + 1);
            lastKey = lines[i][..colon];
            headers[lastKey] = lines[i][(colon + 1)..].Trim();
        }
        foreach (var required in new[] { "From", "Subject" })
            if (!headers.ContainsKey(required))
                throw new TritonMesosException($"missing '{required}:' header", path, 1,
                    "re-create the patch with `git format-patch`");
        var messageStart = i + 1;

        // The commit message ends at the '---' line that precedes the diffstat (or at the diff itself).
        var separator = -1;
        for (var j = messageStart; j < lines.Length; j++)
        {
            if (lines[j] == "---" || lines[j].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                separator = j;
                break;
            }
        }
        if (separator < 0)
            throw new TritonMesosException("no diff found (missing '---' and 'diff --git' lines); the patch is truncated or corrupt",
                path, lines.Length, "re-export the patch from the work tree with `triton-mesos export`");
        var message = lines[messageStart..separator].ToList();
        while (message.Count > 0 && message[^1].Length == 0)
            message.RemoveAt(message.Count - 1);

        // The trailer block is the last paragraph when every line in it is 'Key: value'.
        var paragraphStart = message.FindLastIndex(l => l.Length == 0) + 1;
        var trailers = new List<PatchTrailer>();
        var paragraph = message.Skip(paragraphStart).ToList();
        if (paragraph.Count > 0 && paragraph.All(l => TrailerLine().IsMatch(l)))
        {
            for (var k = 0; k < paragraph.Count; k++)
            {
                var m = TrailerLine().Match(paragraph[k]);
                trailers.Add(new PatchTrailer(m.Groups["key"].Value, m.Groups["value"].Value.Trim(), messageStart + paragraphStart + k + 1));
            }
            message.RemoveRange(paragraphStart, message.Count - paragraphStart);
            while (message.Count > 0 && message[^1].Length == 0)
                message.RemoveAt(message.Count - 1);
        }

        var diffStart = Array.FindIndex(lines, separator, l => l.StartsWith("diff --git ", StringComparison.Ordinal));
        if (diffStart < 0)
            throw new TritonMesosException("the patch has a message but no 'diff --git' section; it is truncated or empty",
                path, lines.Length, "re-export the patch from the work tree with `triton-mesos export`");
        var diff = string.Join('\n', lines[diffStart..]);

        return new PatchFile(path, headers["From"], headers.GetValueOrDefault("Date") ?? "",
            SubjectPrefix().Replace(headers["Subject"], ""), string.Join('\n', message), trailers, diff, diffStart + 1);
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
