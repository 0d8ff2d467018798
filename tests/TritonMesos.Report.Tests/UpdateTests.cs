using TritonMesos.Report.Update;

namespace TritonMesos.Report.Tests;

public sealed class UpdateTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private static UpdateOptions Options(UpstreamFixture f, string? gitRef = "1.3.0") => new UpdateOptions()
        .WithRootDirectory(f.Project).WithUpstreamPath(f.Upstream).WithRef(gitRef).WithToday(Today).WithOutput(new StringWriter());

    [Fact]
    public async Task All_patches_apply_so_patches_and_lock_are_refreshed()
    {
        using var f = new UpstreamFixture(["0001-a-everywhere.patch", "0005-e-threeway.patch"]);
        var before = PatchFile.Load(Path.Combine(f.Patches, "0005-e-threeway.patch"));
        var result = await SeriesUpdater.UpdateAsync(Options(f));

        Assert.Equal(UpdateOutcome.Updated, result.Outcome);
        Assert.Equal(["applied", "applied-3way"], result.Patches.Select(p => p.Action));
        var after = PatchFile.Load(Path.Combine(f.Patches, "0005-e-threeway.patch"));
        Assert.Equal(before.Subject, after.Subject);
        Assert.Equal(before.Author, after.Author);
        Assert.Equal(before.Body, after.Body);
        Assert.Equal(before.Feature, after.Feature);
        Assert.Equal(before.Trailer("Upstream-Status"), after.Trailer("Upstream-Status"));
        Assert.Equal("2026-11-25", after.Trailer("Last-Update"));
        var lockFile = UpstreamLock.Load(Path.Combine(f.Project, UpstreamLock.FileName));
        Assert.Equal("1.3.0", lockFile.Ref);
        Assert.Equal(f.Tags["1.3.0"], lockFile.Commit);
        Assert.False(Directory.Exists(Path.Combine(f.Project, ".work", "update")));

        // The refreshed series now applies cleanly on the new lock.
        var data = await UpstreamReport.ComputeAsync(new ReportOptions().WithRootDirectory(f.Project).WithUpstreamPath(f.Upstream).WithRefs(["1.3.0"]));
        Assert.All(data.Patches, p => Assert.Equal(ApplyStatus.Clean, p.Cells[0].Cumulative.Status));
    }

    [Fact]
    public async Task Conflict_leaves_the_worktree_then_continue_finishes()
    {
        using var f = new UpstreamFixture(["0001-a-everywhere.patch", "0002-b-conflicts.patch"]);
        var snapshot = f.Snapshot();
        var stopped = await SeriesUpdater.UpdateAsync(Options(f));

        Assert.Equal(UpdateOutcome.Conflict, stopped.Outcome);
        Assert.Equal(2, stopped.ExitCode);
        Assert.Equal(["applied", "stopped"], stopped.Patches.Select(p => p.Action));
        Assert.Contains("b.txt", stopped.Patches[1].Detail);
        Assert.Contains(stopped.NextCommands, c => c.Contains("triton-mesos update --continue"));
        Assert.Equal(snapshot, f.Snapshot());
        var conflicted = Path.Combine(stopped.Worktree!, "b.txt");
        Assert.Contains("<<<<<<<", File.ReadAllText(conflicted));

        var again = await Assert.ThrowsAsync<TritonMesosException>(() => SeriesUpdater.UpdateAsync(Options(f).WithMode(UpdateMode.Continue)));
        Assert.Contains("b.txt", again.Message);

        File.WriteAllText(conflicted, UpstreamFixture.Numbered("b", 30).Replace("b10\n", "b10 patched and rewritten\n"));
        f.Git(stopped.Worktree!, "add", "b.txt");
        var finished = await SeriesUpdater.UpdateAsync(Options(f, null).WithMode(UpdateMode.Continue));

        Assert.Equal(UpdateOutcome.Updated, finished.Outcome);
        Assert.Equal(["applied", "resolved"], finished.Patches.Select(p => p.Action));
        var text = File.ReadAllText(Path.Combine(f.Patches, "0002-b-conflicts.patch"));
        Assert.Contains("-b10 rewritten upstream\n+b10 patched and rewritten\n", text);
        Assert.Contains("Last-Update: 2026-11-25", text);
        Assert.Equal("1.3.0", UpstreamLock.Load(Path.Combine(f.Project, UpstreamLock.FileName)).Ref);
    }

    [Fact]
    public async Task Abort_loses_nothing()
    {
        using var f = new UpstreamFixture(["0001-a-everywhere.patch", "0002-b-conflicts.patch"]);
        var snapshot = f.Snapshot();
        var stopped = await SeriesUpdater.UpdateAsync(Options(f));
        Assert.Equal(UpdateOutcome.Conflict, stopped.Outcome);
        File.WriteAllText(Path.Combine(stopped.Worktree!, "b.txt"), "half-done resolution\n");

        var aborted = await SeriesUpdater.UpdateAsync(Options(f, null).WithMode(UpdateMode.Abort));

        Assert.Equal(UpdateOutcome.Aborted, aborted.Outcome);
        Assert.Equal(snapshot, f.Snapshot());
        Assert.False(Directory.Exists(Path.Combine(f.Project, ".work", "update")));
        var saved = Assert.Single(Directory.EnumerateFiles(Path.Combine(f.Project, ".work"), "update-aborted-*.diff"));
        Assert.Contains("half-done resolution", File.ReadAllText(saved));
        // A fresh start works after the abort.
        Assert.Equal(UpdateOutcome.Conflict, (await SeriesUpdater.UpdateAsync(Options(f))).Outcome);
    }

    [Fact]
    public async Task Merged_patches_stop_the_update_unless_drop_merged()
    {
        using var f = new UpstreamFixture(["0001-a-everywhere.patch", "0003-c-merged.patch"]);
        var snapshot = f.Snapshot();
        var refused = await SeriesUpdater.UpdateAsync(Options(f));
        Assert.Equal(UpdateOutcome.MergedUpstream, refused.Outcome);
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal("0003-c-merged.patch", Assert.Single(refused.Patches).File);
        Assert.Equal(snapshot, f.Snapshot());

        var dropped = await SeriesUpdater.UpdateAsync(Options(f).WithDropMerged(true));
        Assert.Equal(UpdateOutcome.Updated, dropped.Outcome);
        Assert.Equal(["applied", "dropped"], dropped.Patches.Select(p => p.Action));
        Assert.False(File.Exists(Path.Combine(f.Patches, "0003-c-merged.patch")));
        Assert.Equal(["0001-a-everywhere.patch"], PatchSeries.Load(f.Patches).Entries.Select(e => e.FileName));
    }

    [Fact]
    public async Task Continue_without_an_update_in_progress_says_how_to_start()
    {
        using var f = new UpstreamFixture(["0001-a-everywhere.patch"]);
        var error = await Assert.ThrowsAsync<TritonMesosException>(() => SeriesUpdater.UpdateAsync(Options(f).WithMode(UpdateMode.Continue)));
        Assert.Contains("no update in progress", error.Message);
        Assert.Contains("--ref", error.NextStep);
    }
}
