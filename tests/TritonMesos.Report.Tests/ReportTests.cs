using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace TritonMesos.Report.Tests;

public sealed class ReportTests : IClassFixture<ReportTests.Generated>
{
    /// <summary>One fixture and one report run shared by the tests of this class.</summary>
    public sealed class Generated : IDisposable
    {
        public UpstreamFixture Fixture { get; } = new();
        public ReportResult Result { get; }
        public List<string> Progress { get; } = [];
        public string Output => Path.Combine(Fixture.Directory, "out");

        public Generated()
        {
            var options = new ReportOptions()
                .WithRootDirectory(Fixture.Project)
                .WithUpstreamPath(Fixture.Upstream)
                .WithOutputDirectory(Output)
                .WithProgress(new SyncProgress(Progress));
            Result = UpstreamReport.GenerateAsync(options).GetAwaiter().GetResult();
        }

        public void Dispose() => Fixture.Dispose();
    }

    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }

    private readonly Generated _g;

    public ReportTests(Generated generated) => _g = generated;

    private static readonly string[] Refs = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "master"];

    [Fact]
    public void Default_refs_are_the_release_tags_from_1_0_0_then_master()
    {
        Assert.Equal(Refs, _g.Result.Data.Refs.Select(r => r.Name));
        Assert.Equal(_g.Fixture.Tags["1.2.0"], _g.Result.Data.Refs[2].Commit);
    }

    [Theory]
    [InlineData("0001-a-everywhere.patch", "offset clean clean clean fuzz")]
    [InlineData("0002-b-conflicts.patch", "clean clean clean conflict conflict")]
    [InlineData("0003-c-merged.patch", "clean clean clean already-upstream already-upstream")]
    [InlineData("0004-d-deleted.patch", "clean clean clean clean not-applicable")]
    [InlineData("0005-e-threeway.patch", "clean clean clean three-way three-way")]
    public void Matrix_has_the_expected_status_per_ref(string patch, string expected)
    {
        var row = _g.Result.Data.Patches.Single(p => p.File == patch);
        Assert.Equal(expected, string.Join(' ', row.Cells.Select(c => c.Cumulative.Status.Name())));
        Assert.Equal(expected, string.Join(' ', row.Cells.Select(c => c.Alone.Status.Name())));
    }

    [Fact]
    public void Offset_and_fuzz_are_measured()
    {
        var row = _g.Result.Data.Patches.Single(p => p.File == "0001-a-everywhere.patch");
        Assert.Equal(3, row.Cells[0].Cumulative.MaxOffset);
        Assert.Equal(1, row.Cells[4].Cumulative.MaxFuzz);
    }

    [Fact]
    public void Conflict_names_file_hunk_and_the_upstream_lines_that_changed()
    {
        var cell = _g.Result.Data.Patches.Single(p => p.File == "0002-b-conflicts.patch").Cells.Single(c => c.Ref == "1.3.0");
        var conflict = Assert.Single(cell.Cumulative.Conflicts);
        Assert.Equal("b.txt", conflict.File);
        Assert.Equal(1, conflict.Hunk);
        Assert.Equal(10, conflict.UpstreamLine);
        Assert.Equal(["-b10", "+b10 rewritten upstream"], conflict.Upstream);
        Assert.Contains("-b10", conflict.Expected);
        Assert.Contains("+b10 patched", conflict.Expected);
    }

    [Fact]
    public void Merged_patch_names_the_upstream_commit_by_patch_id()
    {
        var row = _g.Result.Data.Patches.Single(p => p.File == "0003-c-merged.patch");
        Assert.NotNull(row.PatchId);
        foreach (var cell in row.Cells.Where(c => c.Ref is "1.3.0" or "master"))
        {
            Assert.Equal(_g.Fixture.MergedCommit, cell.Cumulative.UpstreamCommit?.Commit);
            Assert.Equal("patch-id", cell.Cumulative.UpstreamCommit?.FoundBy);
            Assert.Equal("Fixed c15 (upstream's own commit).", cell.Cumulative.UpstreamCommit?.Subject);
        }
    }

    [Fact]
    public void Not_applicable_names_the_missing_file()
    {
        var cell = _g.Result.Data.Patches.Single(p => p.File == "0004-d-deleted.patch").Cells.Single(c => c.Ref == "master");
        Assert.Equal(["d.txt"], cell.Cumulative.MissingFiles);
    }

    [Fact]
    public void Feature_claims_are_checked_per_ref()
    {
        string Holds(string id) => string.Join(' ', _g.Result.Data.Features.Single(f => f.Id == id).Cells.Select(c => c.Holds ? "y" : "n"));
        Assert.Equal("y y y y y", Holds("remove-delay"));
        Assert.Equal("n n y y y", Holds("names"));
        Assert.Equal("y y y y y", Holds("a-feature"));
        Assert.Equal("y y y n n", Holds("c-feature"));
        Assert.Equal(["0001-a-everywhere.patch"], _g.Result.Data.Features.Single(f => f.Id == "a-feature").Patches);
    }

    [Fact]
    public void Json_round_trips_with_the_documented_schema()
    {
        var path = Path.Combine(_g.Output, "report.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal(UpstreamReportData.SchemaId, root.GetProperty("schema").GetString());
        Assert.Equal("1.2.0", root.GetProperty("lock").GetProperty("ref").GetString());
        var cell = root.GetProperty("patches")[1].GetProperty("cells")[3];
        Assert.Equal("1.3.0", cell.GetProperty("ref").GetString());
        Assert.Equal("conflict", cell.GetProperty("cumulative").GetProperty("status").GetString());
        Assert.Equal("b.txt", cell.GetProperty("cumulative").GetProperty("conflicts")[0].GetProperty("file").GetString());
        var back = ReportWriters.ReadJson(path);
        Assert.Equal(_g.Result.Data.Patches.Count, back.Patches.Count);
        Assert.Equal(ApplyStatus.ThreeWay, back.Patches[4].Cells[3].Cumulative.Status);
    }

    [Fact]
    public void Html_is_well_formed_with_one_svg_cell_per_patch_and_ref()
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(Path.Combine(_g.Output, "report.html"), settings);
        var doc = XDocument.Load(reader);
        XNamespace svg = "http://www.w3.org/2000/svg";
        var matrix = doc.Descendants(svg + "svg").Single(e => (string?)e.Attribute("id") == "matrix");
        var rows = matrix.Elements(svg + "g").Where(g => g.Attribute("data-patch") is not null).ToList();
        Assert.Equal(5, rows.Count);
        foreach (var (row, patch) in rows.Zip(_g.Result.Data.Patches))
        {
            var rects = row.Elements(svg + "rect").ToList();
            Assert.Equal(Refs, rects.Select(r => (string?)r.Attribute("data-ref")));
            Assert.Equal(patch.Cells.Select(c => c.Cumulative.Status.Name()), rects.Select(r => (string?)r.Attribute("data-status")));
            Assert.All(rects, r => Assert.False(string.IsNullOrWhiteSpace(r.Element(svg + "title")?.Value)));
        }
        var conflictTitle = rows[1].Elements(svg + "rect").Single(r => (string?)r.Attribute("data-ref") == "1.3.0").Element(svg + "title")!.Value;
        Assert.Contains("b.txt hunk #1", conflictTitle);
        Assert.Contains("+b10 rewritten upstream", conflictTitle);
        XNamespace html = "http://www.w3.org/1999/xhtml";
        Assert.Equal(5, doc.Descendants(html + "section").Count(s => (string?)s.Attribute("class") == "patch"));
        // 3 declared features plus the 4 more named by patch headers.
        Assert.Equal(7, matrix.Elements(svg + "g").Count(g => g.Attribute("data-feature") is not null));
    }

    [Fact]
    public void Markdown_has_the_matrix_and_no_run_dates()
    {
        var md = File.ReadAllText(Path.Combine(_g.Output, "report.md"));
        Assert.StartsWith(MarkdownReport.Marker, md);
        Assert.Contains("| 0002 b-feature | ok | ok | ok | CONFLICT | CONFLICT |", md);
        Assert.Contains("| 0003 c-feature | ok | ok | ok | upstream | upstream |", md);
        Assert.DoesNotContain(DateTime.UtcNow.ToString("yyyy-MM-dd"), md);
    }

    [Fact]
    public void Submit_holds_patches_regenerated_against_master_that_git_applies()
    {
        var submit = Path.Combine(_g.Output, "submit");
        var a = _g.Result.Data.Patches[0].Submit!;
        Assert.Equal("master", a.Ref);
        Assert.Equal(ApplyStatus.Fuzz, a.Status);
        var d = _g.Result.Data.Patches[3].Submit!;
        Assert.Equal("1.3.0", d.Ref);
        Assert.Null(_g.Result.Data.Patches[2].Submit!.Ref);
        // The regenerated form applies strictly with git itself on its target.
        foreach (var (patch, target) in new[] { (a, "master"), (d, "1.3.0"), (_g.Result.Data.Patches[4].Submit!, "master") })
        {
            var work = Path.Combine(_g.Fixture.Directory, "check-" + target + "-" + patch.Patch[..4]);
            _g.Fixture.Git(_g.Fixture.Directory, "clone", "-q", _g.Fixture.Upstream, work);
            _g.Fixture.Git(work, "checkout", "-q", target);
            _g.Fixture.Git(work, "apply", "--check", Path.Combine(submit, patch.Patch));
            var text = File.ReadAllText(Path.Combine(submit, patch.Patch));
            Assert.DoesNotContain("Feature:", text);
            Assert.StartsWith("From 0000000000000000000000000000000000000000", text);
        }
        var review = File.ReadAllText(Path.Combine(submit, a.Description));
        Assert.Contains("Runtime flag: `--a_flag`", review);
        Assert.Contains("Upstream-Status: Pending", review);
    }

    [Fact]
    public void Progress_reports_each_ref_and_summary_has_a_line_per_patch()
    {
        Assert.Contains(_g.Progress, l => l.StartsWith("[4/5] 1.3.0: 0001 ok, 0002 CONFLICT, 0003 upstream, 0004 ok, 0005 3-way", StringComparison.Ordinal));
        Assert.Equal(5, _g.Result.SummaryLines.Count);
        Assert.Equal("0002-b-conflicts.patch: clean 1.0.0…1.2.0, conflict 1.3.0…master", _g.Result.SummaryLines[1]);
    }
}
