using System.Security.Cryptography;
using System.Text;

namespace TritonMesos.Report.Diffs;

/// <summary>Writes git-style unified diffs from a text and edits in its coordinates.</summary>
internal static class DiffWriter
{
    /// <summary>The <c>diff --git</c> section for <paramref name="path"/> (mode kept), with 3 lines of context.</summary>
    public static string FileSection(string path, string mode, TextFile oldFile, IReadOnlyList<Replacement> edits, bool? endsWithNewline)
    {
        var newFile = oldFile.Apply(edits, endsWithNewline);
        var sb = new StringBuilder();
        sb.Append("diff --git a/").Append(path).Append(" b/").Append(path).Append('\n');
        sb.Append("index ").Append(BlobId(oldFile)).Append("..").Append(BlobId(newFile)).Append(' ').Append(mode).Append('\n');
        sb.Append("--- a/").Append(path).Append('\n');
        sb.Append("+++ b/").Append(path).Append('\n');
        sb.Append(Hunks(oldFile, newFile, edits.OrderBy(e => e.Start).ToList(), 3));
        return sb.ToString();
    }

    /// <summary>The git blob id (SHA-1 of "blob &lt;size&gt;\0" + content) of a text.</summary>
    public static string BlobId(TextFile file) => file.GitBlob().Id;

    private static string Hunks(TextFile oldFile, TextFile newFile, List<Replacement> edits, int context)
    {
        var sb = new StringBuilder();
        var old = oldFile.Lines;
        var delta = 0;
        var i = 0;
        while (i < edits.Count)
        {
            var j = i;
            while (j + 1 < edits.Count && edits[j + 1].Start - edits[j].End <= 2 * context)
                j++;
            var from = Math.Max(0, edits[i].Start - context);
            var to = Math.Min(old.Count, edits[j].End + context);
            var body = new StringBuilder();
            int oldCount = 0, newCount = 0, position = from;
            for (var k = i; k <= j; k++)
            {
                for (; position < edits[k].Start; position++, oldCount++, newCount++)
                    Line(body, ' ', old[position], position == old.Count - 1 && !oldFile.EndsWithNewline && !newFile.EndsWithNewline);
                for (var r = 0; r < edits[k].OldCount; r++, position++, oldCount++)
                    Line(body, '-', old[position], position == old.Count - 1 && !oldFile.EndsWithNewline);
                for (var a = 0; a < edits[k].NewLines.Count; a++, newCount++)
                    Line(body, '+', edits[k].NewLines[a], position == old.Count && a == edits[k].NewLines.Count - 1 && !newFile.EndsWithNewline);
            }
            for (; position < to; position++, oldCount++, newCount++)
                Line(body, ' ', old[position], position == old.Count - 1 && !oldFile.EndsWithNewline && !newFile.EndsWithNewline);
            var newFrom = from + delta;
            sb.Append($"@@ -{Range(from, oldCount)} +{Range(newFrom, newCount)} @@\n");
            sb.Append(body);
            for (var k = i; k <= j; k++)
                delta += edits[k].NewLines.Count - edits[k].OldCount;
            i = j + 1;
        }
        return sb.ToString();
    }

    private static string Range(int from, int count) => count == 1 ? $"{from + 1}" : $"{(count == 0 ? from : from + 1)},{count}";

    private static void Line(StringBuilder sb, char kind, string text, bool missingNewline)
    {
        sb.Append(kind).Append(text).Append('\n');
        if (missingNewline)
            sb.Append("\\ No newline at end of file\n");
    }
}
