using System.Globalization;
using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>One line of a hunk: <c>' '</c> context, <c>'-'</c> removed, <c>'+'</c> added; with its 1-based line in the patch file.</summary>
public readonly record struct HunkLine(char Kind, string Text, int Line);

/// <summary>One <c>@@ -a,b +c,d @@ section</c> hunk: its number in the file's section (1-based), its header as written, its ranges, its lines and its 1-based line in the patch file.</summary>
public sealed record DiffHunk(int Number, string Header, int OldStart, int OldCount, int NewStart, int NewCount, string Section,
    IReadOnlyList<HunkLine> Lines, bool OldMissingNewline, bool NewMissingNewline, int Line)
{
    /// <summary>The lines the target must contain (context and removed).</summary>
    public IEnumerable<string> OldLines => Lines.Where(l => l.Kind != '+').Select(l => l.Text);

    /// <summary>The lines after the change (context and added).</summary>
    public IEnumerable<string> NewLines => Lines.Where(l => l.Kind != '-').Select(l => l.Text);

    /// <summary>The hunk with old and new sides swapped, for reverse application.</summary>
    public DiffHunk Reverse() => this with
    {
        OldStart = NewStart, OldCount = NewCount, NewStart = OldStart, NewCount = OldCount,
        Lines = Lines.Select(l => l.Kind switch { '+' => l with { Kind = '-' }, '-' => l with { Kind = '+' }, _ => l }).ToList(),
        OldMissingNewline = NewMissingNewline, NewMissingNewline = OldMissingNewline,
    };
}

/// <summary>One file's section of a patch (<c>diff --git a/… b/…</c> up to the next one): its paths, blob ids, kind, first line in the patch file and hunks.</summary>
public sealed record DiffSection(string OldPath, string NewPath, string? OldBlobId, string? NewBlobId, bool IsNewFile, bool IsDeletedFile,
    bool IsBinary, bool IsRename, int Line, IReadOnlyList<DiffHunk> Hunks)
{
    /// <summary>The path the patch reads (the new path for created files).</summary>
    public string Path => IsNewFile ? NewPath : OldPath;

    /// <summary>The lines the section adds, without their <c>+</c>, each with its 1-based line in the patch file.</summary>
    public IEnumerable<(string Text, int Line)> AddedLines =>
        Hunks.SelectMany(h => h.Lines).Where(l => l.Kind == '+').Select(l => (l.Text, l.Line));

    /// <summary>Added and removed line counts, for a diffstat.</summary>
    public (int Added, int Removed) Stat =>
        (Hunks.Sum(h => h.Lines.Count(l => l.Kind == '+')), Hunks.Sum(h => h.Lines.Count(l => l.Kind == '-')));

    /// <summary>The section with old and new sides swapped.</summary>
    public DiffSection Reverse() => this with
    {
        OldPath = NewPath, NewPath = OldPath, OldBlobId = NewBlobId, NewBlobId = OldBlobId, IsNewFile = IsDeletedFile, IsDeletedFile = IsNewFile,
        Hunks = Hunks.Select(h => h.Reverse()).ToList(),
    };
}

public sealed partial record PatchFile
{
    [GeneratedRegex(@"^diff --git a/(?<a>.+?) b/(?<b>.+)$")]
    private static partial Regex DiffHeader();

    [GeneratedRegex(@"^@@ -(?<os>\d+)(,(?<oc>\d+))? \+(?<ns>\d+)(,(?<nc>\d+))? @@ ?(?<section>.*)$")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^index (?<old>[0-9a-f]+)\.\.(?<new>[0-9a-f]+)")]
    private static partial Regex IndexLine();

    /// <summary>The diff's file sections in order: the one place patch text is split into files and hunks.</summary>
    public IReadOnlyList<DiffSection> Sections => ParseSections(Diff, DiffLine, Path);

    /// <summary>The section of <paramref name="path"/> (its new path), or null.</summary>
    public DiffSection? Section(string path) => Sections.FirstOrDefault(s => s.NewPath == path);

    /// <summary>
    /// Splits diff text whose first line is line <paramref name="firstLine"/> of its file into file sections, up to a
    /// <c>-- </c> signature line; a hunk shorter than its header counts, or with a line that is no hunk line, is an error
    /// naming <paramref name="source"/>.
    /// </summary>
    public static IReadOnlyList<DiffSection> ParseSections(string diff, int firstLine = 1, string? source = null)
    {
        var lines = diff.Replace("\r\n", "\n").Split('\n');
        var sections = new List<DiffSection>();
        var i = 0;
        while (i < lines.Length)
        {
            var header = DiffHeader().Match(lines[i]);
            if (!header.Success)
            {
                if (lines[i] == "-- ")
                    break; // format-patch signature
                i++;
                continue;
            }
            var sectionLine = firstLine + i;
            string oldPath = header.Groups["a"].Value, newPath = header.Groups["b"].Value;
            string? oldId = null, newId = null;
            bool isNew = false, isDeleted = false, isBinary = false, isRename = false;
            for (i++; i < lines.Length && !lines[i].StartsWith("@@ ", StringComparison.Ordinal) && !DiffHeader().IsMatch(lines[i]); i++)
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
            var hunks = new List<DiffHunk>();
            while (i < lines.Length && HunkHeader().Match(lines[i]) is { Success: true } h)
                hunks.Add(ParseHunk(lines, ref i, h, hunks.Count + 1, firstLine, source));
            sections.Add(new DiffSection(oldPath, newPath, NullIfZero(oldId), NullIfZero(newId), isNew, isDeleted, isBinary, isRename, sectionLine, hunks));
        }
        return sections;
    }

    /// <summary>The hunk whose header <paramref name="h"/> is at <paramref name="i"/>; leaves <paramref name="i"/> after its last line.</summary>
    private static DiffHunk ParseHunk(string[] lines, ref int i, Match h, int number, int firstLine, string? source)
    {
        var headerIndex = i;
        int oldStart = Number(h, "os"), newStart = Number(h, "ns");
        int oldCount = h.Groups["oc"].Success ? Number(h, "oc") : 1, newCount = h.Groups["nc"].Success ? Number(h, "nc") : 1;
        var body = new List<HunkLine>();
        int oldSeen = 0, newSeen = 0;
        bool oldMissing = false, newMissing = false;
        for (i++; oldSeen < oldCount || newSeen < newCount; i++)
        {
            if (i >= lines.Length)
                throw new TritonMesosException(
                    $"hunk at line {headerIndex + 1} of the diff ends early ({oldSeen}/{oldCount} old, {newSeen}/{newCount} new lines)",
                    source, nextStep: "re-export the patch; it was truncated or edited by hand");
            var line = lines[i];
            var kind = line.Length == 0 ? ' ' : line[0];
            switch (kind)
            {
                case ' ': oldSeen++; newSeen++; break;
                case '-': oldSeen++; break;
                case '+': newSeen++; break;
                case '\\': MarkMissingNewline(body, ref oldMissing, ref newMissing); continue;
                default:
                    throw new TritonMesosException($"unexpected line '{line}' inside the hunk at diff line {headerIndex + 1}", source,
                        nextStep: "re-export the patch; it was edited by hand");
            }
            body.Add(new HunkLine(kind, line.Length == 0 ? "" : line[1..], firstLine + i));
        }
        // "\ No newline at end of file" follows the last line of the side it concerns.
        for (; i < lines.Length && lines[i].StartsWith('\\'); i++)
            MarkMissingNewline(body, ref oldMissing, ref newMissing);
        var header = lines[headerIndex];
        var close = header.IndexOf("@@", 2, StringComparison.Ordinal);
        return new DiffHunk(number, header[..(close + 2)], oldStart, oldCount, newStart, newCount, h.Groups["section"].Value, body,
            oldMissing, newMissing, firstLine + headerIndex);
    }

    private static void MarkMissingNewline(List<HunkLine> body, ref bool oldMissing, ref bool newMissing)
    {
        var last = body.Count > 0 ? body[^1].Kind : ' ';
        if (last != '+') oldMissing = true;
        if (last != '-') newMissing = true;
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string? NullIfZero(string? id) => id is null || id.All(c => c == '0') ? null : id;
}
