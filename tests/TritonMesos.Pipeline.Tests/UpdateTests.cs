using Xunit;

namespace TritonMesos.Pipeline.Tests;

/// <summary>
/// <c>update</c> on the sandbox's real repositories: the series (line ten of a.txt, delta in b.txt) moves from 1.0.0 to
/// 1.1.0 (clean), side7 (line 7 changed: the first patch needs a 3-way merge) or side10 (line 10 changed: it conflicts).
/// </summary>
public sealed class UpdateTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private readonly PatchPipeline _pipeline = new();

    private static UpdateOptions Options(GitSandbox sandbox, string? gitRef) =>
        new UpdateOptions(sandbox.Location.WithUpstreamUrl(sandbox.Source)).WithRef(gitRef).WithToday(Today);

    private static Dictionary<string, string> Snapshot(GitSandbox sandbox) =>
        Directory.EnumerateFiles(sandbox.Patches).Append(Path.Combine(sandbox.Project, UpstreamLock.FileName))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText);

    /// <summary>Applies the updated series onto the new lock and exports it again: patches/ must not change by a byte.</summary>
    private async Task AssertReexportsIdenticallyAsync(GitSandbox sandbox)
    {
        var before = sandbox.SnapshotPatches();
        var applied = await _pipeline.ApplyAsync(sandbox.Apply);
        var exported = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));

        Assert.Equal(UpstreamLock.Load(Path.Combine(sandbox.Project, UpstreamLock.FileName)).Commit, applied.UpstreamCommit);
        Assert.True(exported.NothingChanged, $"written: {string.Join(", ", exported.Written)}; removed: {string.Join(", ", exported.Removed)}");
        sandbox.AssertPatchesAre(before);
    }

    [Fact]
    public async Task A_three_way_update_refreshes_patches_and_lock_and_the_result_reexports_byte_identically()
    {
        using var sandbox = GitSandbox.Create();
        var first = Directory.EnumerateFiles(sandbox.Patches, "0001-*.patch").Single();
        var before = PatchFile.Load(first);

        var result = await _pipeline.UpdateAsync(Options(sandbox, "side7"));

        Assert.Equal(UpdateOutcome.Updated, result.Outcome);
        Assert.Equal(["applied-3way", "applied"], result.Patches.Select(p => p.Action));
        var after = PatchFile.Load(first);
        Assert.Equal(before.Subject, after.Subject);
        Assert.Equal(before.Author, after.Author);
        Assert.Equal(before.Body, after.Body);
        Assert.Equal(before.Feature, after.Feature);
        Assert.Equal("2026-12-01", after.Trailer("Last-Update"));
        var lockFile = UpstreamLock.Load(Path.Combine(sandbox.Project, UpstreamLock.FileName));
        Assert.Equal(("side7", sandbox.SideLine7), (lockFile.Ref, lockFile.Commit));
        Assert.Equal("# The test series.\n0001-Changed-line-ten.patch\n\n# Network.\n0002-Added-delta-to-b.patch  # trailing comment\n",
            File.ReadAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName)));
        Assert.False(Directory.Exists(new RepositoryLayout(sandbox.Project).UpdateScratch));

        await AssertReexportsIdenticallyAsync(sandbox);
    }

    [Fact]
    public async Task Conflict_leaves_the_worktree_then_continue_finishes_and_the_result_reexports_byte_identically()
    {
        using var sandbox = GitSandbox.Create();
        var snapshot = Snapshot(sandbox);
        var stopped = await _pipeline.UpdateAsync(Options(sandbox, "side10"));

        Assert.Equal(UpdateOutcome.Conflict, stopped.Outcome);
        Assert.Equal(2, stopped.ExitCode);
        Assert.Equal(["stopped", "pending"], stopped.Patches.Select(p => p.Action));
        Assert.Contains("src/a.txt", stopped.Patches[0].Detail);
        Assert.Contains(stopped.NextCommands, c => c.Contains("triton-mesos update --continue"));
        Assert.Equal(snapshot, Snapshot(sandbox));
        var conflicted = Path.Combine(stopped.Worktree!, "src", "a.txt");
        Assert.Contains("<<<<<<<", File.ReadAllText(conflicted));

        var again = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.UpdateAsync(Options(sandbox, null).WithMode(UpdateMode.Continue)));
        Assert.Contains("src/a.txt", again.Message);

        File.WriteAllText(conflicted, string.Join("", Enumerable.Range(1, 40).Select(i => i == 10 ? "ten again\n" : $"{i}\n")));
        GitSandbox.Run(stopped.Worktree!, "add", "src/a.txt");
        var finished = await _pipeline.UpdateAsync(Options(sandbox, null).WithMode(UpdateMode.Continue));

        Assert.Equal(UpdateOutcome.Updated, finished.Outcome);
        Assert.Equal(["resolved", "applied"], finished.Patches.Select(p => p.Action));
        var text = File.ReadAllText(Path.Combine(sandbox.Patches, "0001-Changed-line-ten.patch"));
        Assert.Contains("-TEN\n+ten again\n", text);
        Assert.Contains("Last-Update: 2026-12-01", text);
        Assert.Equal("side10", UpstreamLock.Load(Path.Combine(sandbox.Project, UpstreamLock.FileName)).Ref);

        await AssertReexportsIdenticallyAsync(sandbox);
    }

    [Fact]
    public async Task Abort_loses_nothing()
    {
        using var sandbox = GitSandbox.Create();
        var snapshot = Snapshot(sandbox);
        var stopped = await _pipeline.UpdateAsync(Options(sandbox, "side10"));
        Assert.Equal(UpdateOutcome.Conflict, stopped.Outcome);
        File.WriteAllText(Path.Combine(stopped.Worktree!, "src", "a.txt"), "half-done resolution\n");

        var aborted = await _pipeline.UpdateAsync(Options(sandbox, null).WithMode(UpdateMode.Abort));

        Assert.Equal(UpdateOutcome.Aborted, aborted.Outcome);
        Assert.Equal(snapshot, Snapshot(sandbox));
        Assert.False(Directory.Exists(new RepositoryLayout(sandbox.Project).UpdateScratch));
        var saved = Assert.Single(Directory.EnumerateFiles(new RepositoryLayout(sandbox.Project).Work, "update-aborted-*.diff"));
        Assert.Contains("half-done resolution", File.ReadAllText(saved));
        // A fresh start works after the abort.
        Assert.Equal(UpdateOutcome.Conflict, (await _pipeline.UpdateAsync(Options(sandbox, "side10"))).Outcome);
    }

    [Fact]
    public async Task Merged_patches_stop_the_update_unless_drop_merged()
    {
        using var sandbox = GitSandbox.Create();
        var merged = sandbox.MakePatches(sandbox.V100, 3, ("Spelled out seven.", "spelling", "src/a.txt", "7\n", "seven\n")).Single();
        File.AppendAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName), merged + "\n");
        var snapshot = Snapshot(sandbox);

        var refused = await _pipeline.UpdateAsync(Options(sandbox, "side7"));

        Assert.Equal(UpdateOutcome.MergedUpstream, refused.Outcome);
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal(merged, Assert.Single(refused.Patches).File);
        Assert.Equal(snapshot, Snapshot(sandbox));
        Assert.False(Directory.Exists(new RepositoryLayout(sandbox.Project).UpdateScratch));

        var dropped = await _pipeline.UpdateAsync(Options(sandbox, "side7").WithDropMerged(true));

        Assert.Equal(UpdateOutcome.Updated, dropped.Outcome);
        Assert.Equal(["applied-3way", "applied", "dropped"], dropped.Patches.Select(p => p.Action));
        Assert.False(File.Exists(Path.Combine(sandbox.Patches, merged)));
        Assert.Equal(["0001-Changed-line-ten.patch", "0002-Added-delta-to-b.patch"],
            PatchSeries.Load(sandbox.Patches).Entries.Select(e => e.FileName));
        await AssertReexportsIdenticallyAsync(sandbox);
    }

    [Fact]
    public async Task Continue_without_an_update_in_progress_says_how_to_start()
    {
        using var sandbox = GitSandbox.Create();
        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.UpdateAsync(Options(sandbox, null).WithMode(UpdateMode.Continue)));
        Assert.Contains("no update in progress", error.Message);
        Assert.Contains("--ref", error.NextStep);
    }

    [Fact]
    public void Continue_and_abort_together_are_refused()
    {
        var error = Assert.Throws<TritonMesosException>(() => UpdateOptions.ModeOf(@continue: true, abort: true));
        Assert.Contains("exclude each other", error.Message);
    }
}
