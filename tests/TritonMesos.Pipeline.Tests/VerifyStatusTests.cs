using Xunit;

namespace TritonMesos.Pipeline.Tests;

public sealed class VerifyStatusTests
{
    private readonly PatchPipeline _pipeline = new();

    [Fact]
    public async Task Verify_passes_on_a_canonical_series()
    {
        using var sandbox = GitSandbox.Create();

        var result = await _pipeline.VerifyAsync(new VerifyOptions(sandbox.Location));

        Assert.True(result.Succeeded, string.Join("\n", result.Problems.Select(p => p.Render()).Concat(result.Differences.Select(d => d.UnifiedDiff))));
        Assert.Empty(result.NotChecked);
        Assert.Contains(sandbox.ProgressLines, l => l.Contains("byte-identical"));
        Assert.False(Directory.Exists(sandbox.WorkDir));
    }

    [Fact]
    public async Task Verify_prints_the_difference_and_writes_corrected_files()
    {
        using var sandbox = GitSandbox.Create();
        var patch = Path.Combine(sandbox.Patches, "0002-Added-delta-to-b.patch");
        var canonical = File.ReadAllBytes(patch);
        // A hand edit that still applies: a stale diffstat line.
        GitSandbox.Replace(sandbox.Patches, "0002-Added-delta-to-b.patch", " 1 file changed, 1 insertion(+)", " 1 file changed, 2 insertions(+)");

        var result = await _pipeline.VerifyAsync(new VerifyOptions(sandbox.Location));

        Assert.False(result.Succeeded);
        var difference = Assert.Single(result.Differences);
        Assert.Equal("0002-Added-delta-to-b.patch", difference.FileName);
        Assert.Contains("- 1 file changed, 2 insertions(+)", difference.UnifiedDiff);
        Assert.Contains("+ 1 file changed, 1 insertion(+)", difference.UnifiedDiff);
        Assert.Equal(new RepositoryLayout(sandbox.Project).Artifact("fixed-patches"), result.FixedPatchesDir);
        Assert.Equal(canonical, File.ReadAllBytes(Path.Combine(result.FixedPatchesDir!, "0002-Added-delta-to-b.patch")));
    }

    [Fact]
    public async Task Verify_reports_header_and_series_problems_each_with_file_and_line()
    {
        using var sandbox = GitSandbox.Create();
        GitSandbox.Replace(sandbox.Patches, "0001-Changed-line-ten.patch", "Upstream-Status: Pending", "Upstream-Status: Sent");
        File.Copy(Path.Combine(sandbox.Patches, "0002-Added-delta-to-b.patch"), Path.Combine(sandbox.Patches, "0007-stray.patch"));
        File.AppendAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName), "0008-gone.patch\n");

        var result = await _pipeline.VerifyAsync(new VerifyOptions(sandbox.Location));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Message.Contains("unknown Upstream-Status 'Sent'") && p.Line is not null);
        Assert.Contains(result.Problems, p => p.Message.Contains("0008-gone.patch") && p.Line == 6);
        Assert.Contains(result.Problems, p => p.Message.Contains("0007-stray.patch is not listed"));
        Assert.Contains(result.NotChecked, n => n.StartsWith("re-export"));
    }

    [Fact]
    public async Task Verify_without_any_upstream_checks_headers_and_says_what_was_not_checked()
    {
        using var sandbox = GitSandbox.Create();
        sandbox.WriteLock(Path.Combine(sandbox.Root, "no-such-upstream"), "1.0.0", sandbox.V100);

        var result = await _pipeline.VerifyAsync(new VerifyOptions(sandbox.Location));

        Assert.True(result.Succeeded);
        var notChecked = Assert.Single(result.NotChecked);
        Assert.Contains("re-export", notChecked);
        Assert.Contains("--upstream-url", notChecked);
    }

    [Fact]
    public async Task Status_shows_commits_their_patch_files_and_unexported_work()
    {
        using var sandbox = GitSandbox.Create();
        var missing = await _pipeline.StatusAsync(new StatusOptions(sandbox.Location));
        Assert.False(missing.Exists);

        await _pipeline.ApplyAsync(sandbox.Apply);
        var clean = await _pipeline.StatusAsync(new StatusOptions(sandbox.Location));
        Assert.Equal(sandbox.V100, clean.BaseCommit);
        Assert.Equal(["0001-Changed-line-ten.patch", "0002-Added-delta-to-b.patch"], clean.Commits.Select(c => c.PatchFile));
        Assert.All(clean.Commits, c => Assert.Equal(CommitExportState.Exported, c.State));
        Assert.False(clean.HasUnexportedWork);
        Assert.False(clean.InputsChangedSinceApply);

        GitSandbox.Write(sandbox.WorkDir, "src/d.txt", "d\n");
        GitSandbox.Run(sandbox.WorkDir, "add", "src/d.txt");
        GitSandbox.Commit(sandbox.WorkDir, "Added d.\n\nFeature: triton-network\nUpstream-Status: Pending", "2026-11-23T00:00:00Z");
        File.AppendAllText(Path.Combine(sandbox.WorkDir, "README"), "dirty\n");
        var dirty = await _pipeline.StatusAsync(new StatusOptions(sandbox.Location));
        Assert.Equal(CommitExportState.New, dirty.Commits[^1].State);
        Assert.Equal(" M README", Assert.Single(dirty.UncommittedChanges));
        Assert.True(dirty.HasUnexportedWork);
        var text = StatusText.Render(dirty);
        Assert.Contains("Added d.  [new, not in patches/]", text);
        Assert.Contains("triton-mesos export", text);
    }
}
