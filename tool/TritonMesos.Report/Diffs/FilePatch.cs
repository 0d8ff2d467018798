using System.Globalization;
using System.Text.RegularExpressions;

namespace TritonMesos.Report.Diffs;

/// <summary>One line of a hunk: ' ' context, '-' removed, '+' added.</summary>
internal readonly record struct HunkLine(char Kind, string Text);

/// <summary>One <c>@@ -a,b +c,d @@</c> hunk.</summary>
internal sealed record Hunk(int OldStart, int OldCount, int NewStart, int NewCount, string Section,
    IReadOnlyList<HunkLine> Lines, bool OldMissingNewline, bool NewMissingNewline)
{
    /// <summary>The header line as written in a patch.</summary>
    public string Header => $"@@ -{OldStart},{OldCount} +{NewStart},{NewCount} @@{(Section.Length > 0 ? " " + Section : "")}";

    /// <summary>The lines the target must contain (context and removed).</summary>
    public IEnumerable<string> OldLines => Lines.Where(l => l.Kind != '+').Select(l => l.Text);

    /// <summary>The lines after the change (context and added).</summary>
    public IEnumerable<string> NewLines => Lines.Where(l => l.Kind != '-').Select(l => l.Text);

    /// <summary>The hunk with old and new sides swapped, for reverse application.</summary>
    public Hunk Reverse() => new(NewStart, NewCount, OldStart, OldCount, Section,
        Lines.Select(l => l.Kind switch { '+' => l with { Kind = '-' }, '-' => l with { Kind = '+' }, _ => l }).ToList(),
        NewMissingNewline, OldMissingNewline);
}

/// <summary>The part of a git diff that concerns one file.</summary>
internal sealed record FilePatch(
    string OldPath,
    string NewPath,
    string? OldBlobId,
    string? NewBlobId,
    bool IsNewFile,
    bool IsDeletedFile,
    bool IsBinary,
    bool IsRename,
    IReadOnlyList<Hunk> Hunks)
{
    /// <summary>The path the patch reads (the new path for created files).</summary>
    public string Path => IsNewFile ? NewPath : OldPath;

    /// <summary>Added and removed line counts, for a diffstat.</summary>
    public (int Added, int Removed) Stat =>
        (Hunks.Sum(h => h.Lines.Count(l => l.Kind == '+')), Hunks.Sum(h => h.Lines.Count(l => l.Kind == '-')));

    /// <summary>The patch with old and new sides swapped.</summary>
    public FilePatch Reverse() => new(NewPath, OldPath, NewBlobId, OldBlobId, IsDeletedFile, IsNewFile, IsBinary, IsRename,
        Hunks.Select(h => h.Reverse()).ToList());
}

/// <summary>Parses the diff part of a <c>git format-patch</c> file.</summary>
internal static partial class UnifiedDiff
{
    [GeneratedRegex(@"^diff --git a/(?<a>.+?) b/(?<b>.+)$")]
    private static partial Regex DiffGit();

    [GeneratedRegex(@"^@@ -(?<os>\d+)(,(?<oc>\d+))? \+(?<ns>\d+)(,(?<nc>\d+))? @@ ?(?<section>.*)$")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^index (?<old>[0-9a-f]+)\.\.(?<new>[0-9a-f]+)")]
    private static partial Regex IndexLine();

    /// <summary>Every file section of <paramref name="diff"/>; <paramref name="source"/> names the patch in errors.</summary>
    public static IReadOnlyList<FilePatch> Parse(string diff, string source)
    {
        var lines = diff.Replace("\r\n", "\n").Split('\n');
        var files = new List<FilePatch>();
        var i = 0;
        while (i < lines.Length)
        {
            var header = DiffGit().Match(lines[i]);
            if (!header.Success)
            {
                if (lines[i] == "-- ")
                    break; // format-patch signature
                i++;
                continue;
            }
            string oldPath = header.Groups["a"].Value, newPath = header.Groups["b"].Value;
            string? oldId = null, newId = null;
            bool isNew = false, isDeleted = false, isBinary = false, isRename = false;
            i++;
            for (; i < lines.Length && !lines[i].StartsWith("@@ ", StringComparison.Ordinal) && !DiffGit().IsMatch(lines[i]); i++)
            {
                var line = lines[i];
                if (line.StartsWith("new file mode", StringComparison.Ordinal)) isNew = true;
                else if (line.StartsWith("deleted file mode", StringComparison.Ordinal)) isDeleted = true;
                else if (line.StartsWith("rename from ", StringComparison.Ordinal)) { isRename = true; oldPath = line[12..]; }
                else if (line.StartsWith("rename to ", StringComparison.Ordinal)) { isRename = true; newPath = line[10..]; }
                else if (line.StartsWith("Binary files", StringComparison.Ordinal) || line == "GIT binary patch") isBinary = true;
                else if (IndexLine().Match(line) is { Success: true } index)
                {
                    oldId = index.Groups["old"].Value;
                    newId = index.Groups["new"].Value;
                }
                else if (line == "-- ")
                    break;
            }
            var hunks = new List<Hunk>();
            while (i < lines.Length && HunkHeader().Match(lines[i]) is { Success: true } h)
            {
                var headerLine = i + 1;
                int oldStart = Int(h, "os"), newStart = Int(h, "ns");
                int oldCount = h.Groups["oc"].Success ? Int(h, "oc") : 1, newCount = h.Groups["nc"].Success ? Int(h, "nc") : 1;
                var body = new List<HunkLine>();
                int oldSeen = 0, newSeen = 0;
                bool oldMissing = false, newMissing = false;
                i++;
                while (oldSeen < oldCount || newSeen < newCount)
                {
                    if (i >= lines.Length)
                        throw ReportErrors.HunkEndsEarly(source, headerLine, oldSeen, oldCount, newSeen, newCount);
                    var line = lines[i];
                    var kind = line.Length == 0 ? ' ' : line[0];
                    var text = line.Length == 0 ? "" : line[1..];
                    switch (kind)
                    {
                        case ' ': oldSeen++; newSeen++; break;
                        case '-': oldSeen++; break;
                        case '+': newSeen++; break;
                        case '\\': MarkMissingNewline(body, ref oldMissing, ref newMissing); i++; continue;
                        default:
                            throw ReportErrors.UnexpectedHunkLine(source, headerLine, line);
                    }
                    body.Add(new HunkLine(kind, text));
                    i++;
                }
                // "\ No newline at end of file" follows the last line of the side it concerns.
                while (i < lines.Length && lines[i].StartsWith('\\'))
                {
                    MarkMissingNewline(body, ref oldMissing, ref newMissing);
                    i++;
                }
                hunks.Add(new Hunk(oldStart, oldCount, newStart, newCount, h.Groups["section"].Value, body, oldMissing, newMissing));
            }
            files.Add(new FilePatch(oldPath, newPath, NullIfZero(oldId), NullIfZero(newId), isNew, isDeleted, isBinary, isRename, hunks));
        }
        return files;
    }

    private static void MarkMissingNewline(List<HunkLine> body, ref bool oldMissing, ref bool newMissing)
    {
        var last = body.Count > 0 ? body[^1].Kind : ' ';
        if (last != '+') oldMissing = true;
        if (last != '-') newMissing = true;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string? NullIfZero(string? id) => id is null || id.All(c => c == '0') ? null : id;
}
