using TritonMesos.Report.Diffs;

namespace TritonMesos.Report.Tests;

public sealed class DiffEngineTests
{
    [Theory]
    [InlineData("a b c d e f", "a b x d e f")]
    [InlineData("a b c", "")]
    [InlineData("", "x y")]
    [InlineData("a b c d e f g h", "h g f e d c b a")]
    [InlineData("a a a b b b", "b b b a a a")]
    public void Line_diff_transforms_old_into_new(string oldText, string newText)
    {
        var a = oldText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var b = newText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var changes = LineDiff.Compute(a, b);
        var edits = changes.Select(c => new Replacement(c.OldStart, c.OldCount, b.Skip(c.NewStart).Take(c.NewCount).ToList())).ToList();
        Assert.Equal(b, new TextFile(a, true).Apply(edits).Lines);
    }

    [Fact]
    public void Random_line_diffs_round_trip()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var a = Enumerable.Range(0, random.Next(0, 40)).Select(_ => "l" + random.Next(6)).ToArray();
            var b = Enumerable.Range(0, random.Next(0, 40)).Select(_ => "l" + random.Next(6)).ToArray();
            var changes = LineDiff.Compute(a, b);
            var edits = changes.Select(c => new Replacement(c.OldStart, c.OldCount, b.Skip(c.NewStart).Take(c.NewCount).ToList())).ToList();
            Assert.Equal(b, new TextFile(a, true).Apply(edits).Lines);
        }
    }

    [Fact]
    public void Large_line_diffs_with_unique_anchors_round_trip()
    {
        var random = new Random(11);
        for (var round = 0; round < 20; round++)
        {
            // Mostly unique lines (like source code) with some repeated ones, then random edits.
            var a = Enumerable.Range(0, 1500).Select(i => random.Next(5) == 0 ? "}" : $"line {i}").ToList();
            var b = new List<string>(a);
            for (var e = 0; e < 60; e++)
            {
                var at = random.Next(b.Count);
                switch (random.Next(3))
                {
                    case 0: b.RemoveAt(at); break;
                    case 1: b.Insert(at, $"new {round}-{e}"); break;
                    default: b[at] = $"changed {round}-{e}"; break;
                }
            }
            if (round % 5 == 0)
                b.Reverse(0, 200); // a moved block
            var changes = LineDiff.Compute(a, b);
            var edits = changes.Select(c => new Replacement(c.OldStart, c.OldCount, b.Skip(c.NewStart).Take(c.NewCount).ToList())).ToList();
            Assert.Equal(b, new TextFile(a, true).Apply(edits).Lines);
            Assert.True(changes.Sum(c => c.OldCount + c.NewCount) < 1200, "the diff should stay close to the edits made");
        }
    }

    [Fact]
    public void Missing_newline_at_end_of_file_round_trips()
    {
        const string diff = "diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n";
        var patch = Assert.Single(PatchFile.ParseSections(diff, source: "test"));
        var target = TextFile.Parse("a\nb");
        var applied = HunkApplier.Apply(target, patch, 0);
        Assert.True(applied.Succeeded);
        Assert.Equal("a\nc\n", applied.ApplyTo(target).ToText());
    }
}

/// <summary>Blob texts are decoded line by line from UTF-8; the lines must equal those of the decoded whole text.</summary>
public sealed class TextFileTests
{
    [Theory]
    [InlineData("")]
    [InlineData("one line without newline")]
    [InlineData("a\nb\n")]
    [InlineData("a\r\nb\r\n\n\nlast")]
    [InlineData("\n")]
    [InlineData("caf\u00e9 \u2013 \U0001F600\n")]
    public void Parsing_bytes_equals_parsing_the_decoded_text(string text)
    {
        var fromText = TritonMesos.Report.Diffs.TextFile.Parse(text);
        var fromBytes = TritonMesos.Report.Diffs.TextFile.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.Equal(fromText.Lines, fromBytes.Lines);
        Assert.Equal(fromText.EndsWithNewline, fromBytes.EndsWithNewline);
        Assert.Equal(text, fromBytes.ToText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("a\nb\n")]
    [InlineData("\n\n")]
    [InlineData("caf\u00e9\r\n\U0001F600")]
    public void The_git_blob_id_is_that_of_the_whole_text(string text)
    {
        var file = TritonMesos.Report.Diffs.TextFile.Parse(text);
        var content = System.Text.Encoding.UTF8.GetBytes(file.ToText());
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(
            [.. System.Text.Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
        Assert.Equal((expected, (long)content.Length), file.GitBlob());
        // git's own id of the empty blob
        if (text.Length == 0)
            Assert.Equal("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", file.GitBlob().Id);
    }

    [Fact]
    public void Invalid_utf8_is_replaced_as_in_a_whole_text_decode()
    {
        byte[] bytes = [0x61, 0xE2, 0x82, 0x0A, 0xFF, 0x62, 0x0A, 0xC3];
        var fromText = TritonMesos.Report.Diffs.TextFile.Parse(System.Text.Encoding.UTF8.GetString(bytes));
        var fromBytes = TritonMesos.Report.Diffs.TextFile.Parse(bytes);
        Assert.Equal(fromText.Lines, fromBytes.Lines);
        Assert.Equal(fromText.EndsWithNewline, fromBytes.EndsWithNewline);
    }
}
