using System.Text.RegularExpressions;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Git;

namespace TritonMesos.Report.Tests;

/// <summary>The outcome cache across runs: hits give the same outputs, an edited patch recomputes only its own cells, a bad file is ignored.</summary>
public sealed partial class OutcomeCacheTests : IDisposable
{
    private readonly UpstreamFixture _fixture = new();
    private int _runs;

    public void Dispose() => _fixture.Dispose();

    private string CacheFile => Path.Combine(_fixture.Project, ".work", "cache", "report", OutcomeCache.FileName);

    private sealed record Run(string Output, List<string> Log, int Computed, int Requested, int FromCache, int BlobsRead)
    {
        public byte[] Json => File.ReadAllBytes(Path.Combine(Output, "report.json"));

        /// <summary>Every output file (report.*, submit/*) by relative path.</summary>
        public Dictionary<string, string> Files() => Directory.EnumerateFiles(Output, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Output, f), File.ReadAllText);
    }

    [GeneratedRegex(@"; (?<computed>\d+) of (?<requested>\d+) patch applications computed, (?<cached>\d+) from the outcome cache, the rest reused; (?<blobs>\d+) blobs read")]
    private static partial Regex Counts();

    private string LastReport => Path.Combine(_fixture.Project, ".work", "cache", "report", ResultCache.DirectoryName);

    /// <summary>A report run; the outputs kept by the last run are removed first unless <paramref name="keepLastReport"/>, so the run computes its data (from the outcome cache).</summary>
    private async Task<Run> ReportAsync(bool useCache = true, bool keepLastReport = false)
    {
        if (!keepLastReport && Directory.Exists(LastReport))
            Directory.Delete(LastReport, recursive: true);
        var output = Path.Combine(_fixture.Directory, $"out{++_runs}");
        var log = new List<string>();
        await UpstreamReport.GenerateAsync(new ReportOptions().WithRootDirectory(_fixture.Project).WithUpstreamPath(_fixture.Upstream)
            .WithOutputDirectory(output).WithUseCache(useCache).WithProgress(new SyncProgress(log)));
        var counts = log.Select(l => Counts().Match(l)).SingleOrDefault(m => m.Success);
        int Count(string group) => counts is null ? -1 : int.Parse(counts.Groups[group].Value);
        return new Run(output, log, Count("computed"), Count("requested"), Count("cached"), Count("blobs"));
    }

    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }

    /// <summary>
    /// Adds 0006, made on top of 0005: it changes e16, between 0005's e15 and e19, so its context holds 0005's lines and
    /// its stacked cells depend on reading e.txt exactly as 0005 left it (on the pristine file it does not apply).
    /// </summary>
    private void AddStackedPatch()
    {
        var fork = Path.Combine(_fixture.Directory, "fork");
        var e = Path.Combine(fork, "e.txt");
        File.WriteAllText(e, File.ReadAllText(e).Replace("e16\n", "e16 patched\n"));
        _fixture.Git(fork, "commit", "-q", "-am", "Patched e16.\n\nWhy\n\nFeature: e-feature\nUpstream-Status: Pending\nLast-Update: 2020-01-01");
        var exported = Path.Combine(_fixture.Directory, "exported6");
        _fixture.Git(fork, "format-patch", "-q", "--zero-commit", "--full-index", "--no-signature", "--no-numbered", "-o", exported, "HEAD~1..HEAD");
        File.Copy(Directory.EnumerateFiles(exported).Single(), Path.Combine(_fixture.Patches, "0006-e-stacked.patch"));
        File.AppendAllText(Path.Combine(_fixture.Patches, "series"), "0006-e-stacked.patch\n");
    }

    /// <summary>Changes the text of the first added line of a patch's diff (so its diff, not only its header, changes).</summary>
    private void EditAddedLine(string patch)
    {
        var path = Path.Combine(_fixture.Patches, patch);
        var lines = File.ReadAllLines(path);
        var i = Array.FindIndex(lines, l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal));
        lines[i] += " (edited)";
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    [Fact]
    public async Task Second_run_takes_every_application_from_the_cache_and_writes_the_same_outputs()
    {
        var first = await ReportAsync();
        Assert.True(File.Exists(CacheFile));
        Assert.True(first.Computed > 0);
        Assert.Equal(0, first.FromCache);

        var second = await ReportAsync();
        Assert.Equal(0, second.Computed);
        Assert.Equal(first.Computed, second.FromCache);
        Assert.True(first.BlobsRead > 0);
        Assert.Equal(0, second.BlobsRead); // refs, tree entries and cache hits only
        Assert.Equal(first.Requested, second.Requested);
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Files(), second.Files());
        Assert.DoesNotContain(second.Log, l => l.Contains("warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_with_the_inputs_of_the_last_run_copies_its_outputs_and_an_edited_patch_computes_again()
    {
        var first = await ReportAsync();
        var copied = await ReportAsync(keepLastReport: true);
        Assert.Contains(copied.Log, l => l.Contains("unchanged since the last run: its outputs copied", StringComparison.Ordinal));
        Assert.Equal(-1, copied.Computed); // nothing computed, not even from the outcome cache
        Assert.Equal(first.Files(), copied.Files());

        EditAddedLine("0001-a-everywhere.patch");
        var edited = await ReportAsync(keepLastReport: true);
        Assert.True(edited.Computed > 0);
        Assert.Equal((await ReportAsync(useCache: false)).Files(), edited.Files());
    }

    [Fact]
    public async Task Editing_one_patch_recomputes_only_its_own_cells_and_the_result_equals_an_uncached_run()
    {
        AddStackedPatch();
        var first = await ReportAsync();
        var stacked = ReportWriters.ReadJson(Path.Combine(first.Output, "report.json")).Patches.Single(p => p.File == "0006-e-stacked.patch");
        Assert.Equal(ApplyStatus.Clean, stacked.Cells[0].Cumulative.Status);
        Assert.False(stacked.Cells[0].Alone.Status.Applies()); // on the pristine file its context (e15 patched) is missing
        EditAddedLine("0006-e-stacked.patch");

        var edited = await ReportAsync();
        // 0006 touches only e.txt: one application alone and one stacked on 0005's result per distinct e.txt blob among the refs.
        using var repository = UpstreamRepository.Open(_fixture.Upstream);
        var refs = ReportWriters.ReadJson(Path.Combine(edited.Output, "report.json")).Refs;
        var distinctInputs = refs.Select(r => repository.BlobId(r.Commit, "e.txt")).Distinct().Count();
        Assert.Equal(2 * distinctInputs, edited.Computed);
        Assert.Equal(first.Computed - 2 * distinctInputs, edited.FromCache);

        // The stacked cells read e.txt as 0005 left it, rebuilt from the cached edits: same outputs as without any cache.
        var uncached = await ReportAsync(useCache: false);
        Assert.Equal(uncached.Json, edited.Json);
        Assert.Equal(uncached.Files(), edited.Files());
        Assert.Equal(0, uncached.FromCache);
    }

    [Theory]
    [InlineData("flipped byte", "checksum mismatch")]
    [InlineData("truncated", "checksum mismatch")]
    [InlineData("old format", "format 0")]
    [InlineData("garbage", "not an outcome cache file")]
    public async Task A_damaged_or_old_cache_file_gives_one_warning_and_a_correct_report(string damage, string reason)
    {
        var first = await ReportAsync();
        var bytes = File.ReadAllBytes(CacheFile);
        File.WriteAllBytes(CacheFile, damage switch
        {
            "flipped byte" => [.. bytes[..(bytes.Length / 2)], (byte)(bytes[bytes.Length / 2] ^ 0x20), .. bytes[(bytes.Length / 2 + 1)..]],
            "truncated" => bytes[..(bytes.Length - 7)],
            "old format" => WellFormed(0, OutcomeCache.ToolVersion),
            _ => "not a cache at all"u8.ToArray(),
        });

        var second = await ReportAsync();
        var warning = Assert.Single(second.Log, l => l.Contains("warning", StringComparison.Ordinal));
        Assert.Contains(CacheFile, warning);
        Assert.Contains(reason, warning);
        Assert.Equal(first.Computed, second.Computed);
        Assert.Equal(0, second.FromCache);
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Files(), second.Files());

        // The damaged file was replaced by a good one.
        var third = await ReportAsync();
        Assert.Equal(0, third.Computed);
        Assert.DoesNotContain(third.Log, l => l.Contains("warning", StringComparison.Ordinal));
    }

    /// <summary>A well-formed, empty cache file (magic, checksum) of the given format and tool build.</summary>
    private static byte[] WellFormed(int format, string tool)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("TMOC"u8);
            writer.Write(format);
            writer.Write(tool);
            writer.Write(0);
            writer.Write(0);
        }
        stream.Write(System.Security.Cryptography.SHA256.HashData(stream.ToArray()));
        return stream.ToArray();
    }

    [Fact]
    public async Task A_cache_file_of_another_build_is_replaced_with_a_note_not_a_warning()
    {
        var first = await ReportAsync();
        File.WriteAllBytes(CacheFile, WellFormed(OutcomeCache.FormatVersion, "TritonMesos.Report/0.0.0/other"));

        var second = await ReportAsync();
        var note = Assert.Single(second.Log, l => l.Contains(CacheFile, StringComparison.Ordinal));
        Assert.Contains("written by another build of the tool", note);
        Assert.DoesNotContain("warning", note);
        Assert.Equal(first.Computed, second.Computed);
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(0, (await ReportAsync()).Computed);
    }

    [Fact]
    public async Task No_cache_neither_reads_nor_writes_the_cache_file()
    {
        var first = await ReportAsync();
        var before = File.ReadAllBytes(CacheFile);

        var uncached = await ReportAsync(useCache: false);
        Assert.Equal(first.Computed, uncached.Computed);
        Assert.Equal(0, uncached.FromCache);
        Assert.Equal(first.Json, uncached.Json);

        // Damaged, it is still not read (no warning) nor rewritten.
        File.WriteAllBytes(CacheFile, "damaged"u8.ToArray());
        var again = await ReportAsync(useCache: false);
        Assert.DoesNotContain(again.Log, l => l.Contains("warning", StringComparison.Ordinal));
        Assert.Equal("damaged"u8.ToArray(), File.ReadAllBytes(CacheFile));
        Assert.Equal(first.Json, again.Json);
        Assert.NotEqual(before, File.ReadAllBytes(CacheFile));
    }
}
