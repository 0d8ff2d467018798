using System.Globalization;
using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>One hunk of a file's diff: its header, its preimage and postimage ranges, and its 1-based line in the patch file.</summary>
public sealed record DiffHunk(int Number, string Header, int OldStart, int OldCount, int NewStart, int NewCount, int Line);

/// <summary>One file's section of a patch (<c>diff --git a/… b/…</c> up to the next one): its paths, its first line in the patch file, its hunks and its lines.</summary>
public sealed record DiffSection(string OldPath, string NewPath, int Line, IReadOnlyList<DiffHunk> Hunks, IReadOnlyList<string> Lines)
{
    /// <summary>The lines the section adds, without their <c>+</c>, each with its 1-based line in the patch file.</summary>
    public IEnumerable<(string Text, int Line)> AddedLines =>
        Lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith('+') && !x.l.StartsWith("+++ ", StringComparison.Ordinal))
            .Select(x => (x.l[1..], Line + x.i));
}

public sealed partial record PatchFile
{
    [GeneratedRegex(@"^diff --git a/(?<a>.+?) b/(?<b>.+)$")]
    private static partial Regex DiffHeader();

    [GeneratedRegex(@"^@@ -(?<os>\d+)(,(?<oc>\d+))? \+(?<ns>\d+)(,(?<nc>\d+))? @@")]
    private static partial Regex HunkHeader();

    /// <summary>The diff's file sections in order: the one place patch text is split into files and hunks.</summary>
    public IReadOnlyList<DiffSection> Sections => ParseSections(Diff, DiffLine);

    /// <summary>The section of <paramref name="path"/> (its new path), or null.</summary>
    public DiffSection? Section(string path) => Sections.FirstOrDefault(s => s.NewPath == path);

    /// <summary>Splits diff text whose first line is line <paramref name="firstLine"/> of its file into file sections.</summary>
    public static IReadOnlyList<DiffSection> ParseSections(string diff, int firstLine = 1)
    {
        var lines = diff.Replace("\r\n", "\n").Split('\n');
        var sections = new List<DiffSection>();
        for (var start = 0; start < lines.Length;)
        {
            var header = DiffHeader().Match(lines[start]);
            if (!header.Success)
            {
                start++;
                continue;
            }
            var end = start + 1;
            while (end < lines.Length && !lines[end].StartsWith("diff --git ", StringComparison.Ordinal))
                end++;
            var hunks = new List<DiffHunk>();
            for (var i = start + 1; i < end; i++)
            {
                if (HunkHeader().Match(lines[i]) is not { Success: true } m)
                    continue;
                var close = lines[i].IndexOf("@@", 2, StringComparison.Ordinal);
                hunks.Add(new DiffHunk(hunks.Count + 1, close > 0 ? lines[i][..(close + 2)] : lines[i],
                    Number(m, "os"), m.Groups["oc"].Success ? Number(m, "oc") : 1,
                    Number(m, "ns"), m.Groups["nc"].Success ? Number(m, "nc") : 1, firstLine + i));
            }
            sections.Add(new DiffSection(header.Groups["a"].Value, header.Groups["b"].Value, firstLine + start, hunks, lines[start..end]));
            start = end;
        }
        return sections;
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
