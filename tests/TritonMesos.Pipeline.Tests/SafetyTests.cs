using System.Diagnostics;
using Xunit;

namespace TritonMesos.Pipeline.Tests;

public sealed class SafetyTests
{
    private readonly PatchPipeline _pipeline = new();

    [Fact]
    public async Task Uncommitted_changes_are_refused_with_export_and_force_hints()
    {
        using var sandbox = GitSandbox.Create();
        var before = await _pipeline.ApplyAsync(sandbox.Apply);
        File.AppendAllText(Path.Combine(sandbox.WorkDir, "src/b.txt"), "work in progress\n");

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));

        Assert.Contains("1 uncommitted change (src/b.txt)", error.Message);
        Assert.Contains("triton-mesos export", error.NextStep);
        Assert.Contains("--force", error.NextStep);
        Assert.EndsWith("work in progress\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/b.txt")));

        var forced = await _pipeline.ApplyAsync(sandbox.Apply.WithForce());
        Assert.Equal(before.Head, forced.Head);
        Assert.DoesNotContain("work in progress", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/b.txt")));
    }

    [Fact]
    public async Task Commits_not_in_patches_are_refused_until_exported()
    {
        using var sandbox = GitSandbox.Create();
        await _pipeline.ApplyAsync(sandbox.Apply);
        GitSandbox.Write(sandbox.WorkDir, "src/c.txt", "new file\n");
        GitSandbox.Run(sandbox.WorkDir, "add", "src/c.txt");
        GitSandbox.Commit(sandbox.WorkDir, "Added c.\n\nFeature: triton-network\nUpstream-Status: Pending", "2026-11-20T00:00:00Z");

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains("1 commit not in patches/", error.Message);
        Assert.Contains("Added c.", error.Message);
        Assert.Contains("triton-mesos export", error.NextStep);

        var export = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));
        Assert.Equal(["0003-Added-c.patch"], export.Written);

        var after = await _pipeline.ApplyAsync(sandbox.Apply);
        Assert.True(after.UpToDate);
        Assert.Equal(sandbox.Head(sandbox.WorkDir), after.Head);
    }

    [SkippableFact]
    public async Task A_second_run_on_the_same_work_dir_gets_a_clear_error()
    {
        Skip.If(!File.Exists("/usr/bin/flock"), "util-linux flock(1) is not installed; it plays the other process holding the lock");
        using var sandbox = GitSandbox.Create();
        Directory.CreateDirectory(Path.GetDirectoryName(sandbox.WorkDir)!);
        // Another process holding the lock: util-linux flock(1) takes the same flock(2) lock .NET uses.
        var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--no-fork", sandbox.WorkDir + ".lock", "sleep", "30"]))!;
        try
        {
            await WaitUntilLockedAsync(sandbox.WorkDir + ".lock");
            var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
            Assert.Contains("another triton-mesos run is using the work tree", error.Message);
            Assert.Equal(sandbox.WorkDir + ".lock", error.File);
            Assert.False(Directory.Exists(sandbox.WorkDir));
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync();
        }
        var result = await _pipeline.ApplyAsync(sandbox.Apply);
        Assert.Equal(2, result.Applied.Count);
    }

    [SkippableFact]
    public async Task Killed_run_leaves_the_old_tree_intact_and_the_next_run_cleans_up()
    {
        Skip.If(OperatingSystem.IsWindows(), "the blocking git hook is a POSIX shell script");
        using var sandbox = GitSandbox.Create();
        var before = await _pipeline.ApplyAsync(sandbox.Apply);
        GitSandbox.Replace(sandbox.Patches, "0002-Added-delta-to-b.patch", "Why this change exists", "Why it exists now");

        // The pipeline's apply command runs in its own process (PipelineHost) and applies in a scratch tree; a git hook blocks after the first patch until the process is killed.
        var hooks = Path.Combine(sandbox.Root, "hooks");
        var marker = Path.Combine(sandbox.Root, "reached-hook");
        Directory.CreateDirectory(hooks);
        var hook = Path.Combine(hooks, "post-applypatch");
        File.WriteAllText(hook, $"#!/bin/sh\necho $PPID $$ > '{marker}.tmp'\nmv '{marker}.tmp' '{marker}'\nexec sleep 60\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("dotnet",
            [typeof(PipelineHost).Assembly.Location, "apply", "--root", sandbox.Project, "--cache-dir", sandbox.Cache])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GIT_CONFIG_COUNT"] = "1";
        start.Environment["GIT_CONFIG_KEY_0"] = "core.hooksPath";
        start.Environment["GIT_CONFIG_VALUE_0"] = hooks;
        using var cli = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(marker) && !cli.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        if (!File.Exists(marker))
            Assert.Fail("the apply never reached the first patch: " + await cli.StandardError.ReadToEndAsync());
        // SIGKILL the pipeline first so it cannot clean up, then its orphaned `git am` and the hook's sleep.
        cli.Kill();
        foreach (var pid in File.ReadAllText(marker).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                Process.GetProcessById(int.Parse(pid)).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        await cli.WaitForExitAsync();

        var parent = Path.GetDirectoryName(sandbox.WorkDir)!;
        var output = await cli.StandardOutput.ReadToEndAsync() + await cli.StandardError.ReadToEndAsync();
        Assert.True(Directory.EnumerateDirectories(parent, "mesos.new-*").Any(),
            $"no scratch tree left in {parent}: {string.Join(", ", Directory.EnumerateFileSystemEntries(parent))}; output: {output}");
        Assert.Equal(before.Head, sandbox.Head(sandbox.WorkDir));
        Assert.Empty(GitSandbox.Run(sandbox.WorkDir, "status", "--porcelain"));

        var after = await _pipeline.ApplyAsync(sandbox.Apply);
        Assert.False(after.UpToDate);
        Assert.NotEqual(before.Head, after.Head);
        Assert.Contains(sandbox.ProgressLines, l => l.StartsWith("removing mesos.new-"));
        Assert.Empty(Leftovers(sandbox));
    }

    [Fact]
    public async Task Run_killed_between_the_two_renames_is_recovered()
    {
        using var sandbox = GitSandbox.Create();
        var before = await _pipeline.ApplyAsync(sandbox.Apply);
        // The state a kill between "move old aside" and "move new in" leaves behind.
        Directory.Move(sandbox.WorkDir, sandbox.WorkDir + ".old-deadbeef");
        Directory.CreateDirectory(sandbox.WorkDir + ".new-deadbeef");
        File.WriteAllText(Path.Combine(sandbox.WorkDir + ".new-deadbeef", "half"), "half-applied");

        var after = await _pipeline.ApplyAsync(sandbox.Apply);

        Assert.True(after.UpToDate);
        Assert.Equal(before.Head, after.Head);
        Assert.Contains(sandbox.ProgressLines, l => l.StartsWith("restoring .work/mesos from mesos.old-deadbeef"));
        Assert.Empty(Leftovers(sandbox));
    }

    private static async Task WaitUntilLockedAsync(string path)
    {
        for (var i = 0; i < 200; i++)
        {
            if (File.Exists(path))
            {
                try
                {
                    using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                    }
                }
                catch (IOException)
                {
                    return;
                }
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("flock never took the lock");
    }

    private static IEnumerable<string> Leftovers(GitSandbox sandbox) =>
        Directory.EnumerateDirectories(Path.GetDirectoryName(sandbox.WorkDir)!)
            .Where(d => Path.GetFileName(d).StartsWith("mesos.new-") || Path.GetFileName(d).StartsWith("mesos.old-"));
}
