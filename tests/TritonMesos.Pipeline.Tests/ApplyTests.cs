using Xunit;

namespace TritonMesos.Pipeline.Tests;

public sealed class ApplyTests
{
    private readonly PatchPipeline _pipeline = new();

    [Fact]
    public async Task Clean_apply_makes_one_commit_per_patch_on_the_locked_commit()
    {
        using var sandbox = GitSandbox.Create();

        var result = await _pipeline.ApplyAsync(sandbox.Apply);

        Assert.False(result.UpToDate);
        Assert.Equal(2, result.Applied.Count);
        Assert.Equal(sandbox.V100, GitSandbox.Run(sandbox.WorkDir, "rev-parse", "HEAD~2").Trim());
        Assert.Equal(["Added delta to b.", "Changed line ten."],
            GitSandbox.Run(sandbox.WorkDir, "log", "--format=%s", "-2").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\nten\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/a.txt")));
        Assert.EndsWith("gamma\ndelta\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/b.txt")));
        Assert.Equal("triton-mesos", GitSandbox.Run(sandbox.WorkDir, "log", "-1", "--format=%cn").Trim());
        Assert.Contains(sandbox.ProgressLines, l => l.StartsWith("fetching 1.0.0"));
        Assert.Contains("[1/2] applying 0001-Changed-line-ten.patch", sandbox.ProgressLines);
        Assert.Contains("[2/2] applying 0002-Added-delta-to-b.patch", sandbox.ProgressLines);
        Assert.Empty(Leftovers(sandbox));
    }

    [Fact]
    public async Task Second_apply_with_unchanged_inputs_is_a_no_op_and_the_result_is_reproducible()
    {
        using var sandbox = GitSandbox.Create();
        var first = await _pipeline.ApplyAsync(sandbox.Apply);
        var marker = Path.Combine(sandbox.WorkDir, ".git", "marker");
        File.WriteAllText(marker, "still the same tree");

        var second = await _pipeline.ApplyAsync(sandbox.Apply);

        Assert.True(second.UpToDate);
        Assert.Equal(first.Head, second.Head);
        Assert.True(File.Exists(marker));
        Assert.Contains(sandbox.ProgressLines, l => l.Contains("nothing to do"));

        // A fresh tree (and a fresh cache) from the same inputs gives the same commits: dates and committer are pinned.
        Directory.Delete(sandbox.WorkDir, recursive: true);
        var third = await _pipeline.ApplyAsync(new ApplyOptions(sandbox.Location.WithCacheDir(Path.Combine(sandbox.Root, "cache2", "upstream.git"))));
        Assert.False(third.UpToDate);
        Assert.Equal(first.Head, third.Head);
    }

    [Fact]
    public async Task Changed_patch_bytes_trigger_a_re_apply()
    {
        using var sandbox = GitSandbox.Create();
        var first = await _pipeline.ApplyAsync(sandbox.Apply);
        GitSandbox.Replace(sandbox.Patches, "0002-Added-delta-to-b.patch", "Why this change exists", "Why this change really exists");

        var second = await _pipeline.ApplyAsync(sandbox.Apply);

        Assert.False(second.UpToDate);
        Assert.NotEqual(first.Head, second.Head);
        Assert.Contains("really exists", GitSandbox.Run(sandbox.WorkDir, "log", "-1", "--format=%B"));
    }

    [Fact]
    public async Task Features_subset_applies_only_those_patches_and_unknown_features_are_listed()
    {
        using var sandbox = GitSandbox.Create();

        var result = await _pipeline.ApplyAsync(sandbox.Apply.WithFeatures(["triton-network"]));

        Assert.Equal(["0002-Added-delta-to-b.patch"], result.Applied.Select(a => a.FileName));
        Assert.Equal(sandbox.V100, GitSandbox.Run(sandbox.WorkDir, "rev-parse", "HEAD~1").Trim());
        Assert.DoesNotContain("\nten\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/a.txt")));

        var error = await Assert.ThrowsAsync<TritonMesosException>(() =>
            _pipeline.ApplyAsync(sandbox.Apply.WithFeatures(["sandbox-mount", "no-such-feature"])));
        Assert.Contains("'no-such-feature'", error.Message);
        Assert.Contains("known features: sandbox-mount, triton-network", error.Message);
    }

    [Fact]
    public async Task Conflicting_patch_names_patch_file_and_hunk_and_leaves_the_previous_tree_unchanged()
    {
        using var sandbox = GitSandbox.Create();
        var before = await _pipeline.ApplyAsync(sandbox.Apply);
        // A patch written against a side branch where line 10 is 'TEN': the same line upstream changed differently.
        var names = sandbox.MakePatches(sandbox.SideLine10, 3, ("Lowered ten.", "sandbox-mount", "src/a.txt", "\nTEN\n", "\nten-ish\n"));
        File.AppendAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName), names[0] + "\n");

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));

        Assert.Contains("patch 3/3 0003-Lowered-ten.patch does not apply: file src/a.txt", error.Message);
        Assert.Contains("hunk #1 `@@ -7,7 +7,7 @@`", error.Message);
        Assert.Contains("upstream line 7", error.Message);
        Assert.Contains("3-way merge would not resolve it", error.Message);
        Assert.Equal(Path.Combine(sandbox.Patches, names[0]), error.File);
        Assert.Equal("@@ -7,7 +7,7 @@", File.ReadAllLines(error.File!)[error.Line!.Value - 1][..15]);
        Assert.Equal(before.Head, sandbox.Head(sandbox.WorkDir));
        Assert.Empty(GitSandbox.Run(sandbox.WorkDir, "status", "--porcelain"));
        Assert.Empty(Leftovers(sandbox));
    }

    [Fact]
    public async Task Patch_a_3way_merge_resolves_is_reported_as_such_and_applies_with_ThreeWay()
    {
        using var sandbox = GitSandbox.Create();
        // Written on a commit where line 7 differs: plain apply fails on the context, a 3-way merge is clean.
        var names = sandbox.MakePatches(sandbox.SideLine7, 3, ("Changed line four.", "sandbox-mount", "src/a.txt", "\n4\n", "\nfour\n"));
        File.AppendAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName), names[0] + "\n");

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains("a 3-way merge would resolve it", error.Message);
        Assert.Contains("--3way", error.NextStep);
        Assert.False(Directory.Exists(sandbox.WorkDir));

        var result = await _pipeline.ApplyAsync(sandbox.Apply.WithThreeWay());
        Assert.Equal(3, result.Applied.Count);
        Assert.Contains("\nfour\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/a.txt")));
        Assert.Contains("\n7\n", File.ReadAllText(Path.Combine(sandbox.WorkDir, "src/a.txt")));
    }

    [Fact]
    public async Task Corrupt_and_empty_patches_are_reported_with_file_and_line()
    {
        using var sandbox = GitSandbox.Create();
        var patch = Path.Combine(sandbox.Patches, "0002-Added-delta-to-b.patch");
        var lines = File.ReadAllLines(patch).ToList();
        var hunk = lines.FindIndex(l => l.StartsWith("@@ "));
        lines.Insert(hunk + 2, "this line is not part of any diff");
        File.WriteAllText(patch, string.Join("\n", lines) + "\n");

        var corrupt = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains("0002-Added-delta-to-b.patch is corrupt", corrupt.Message);
        Assert.Equal(patch, corrupt.File);
        Assert.NotNull(corrupt.Line);
        Assert.False(Directory.Exists(sandbox.WorkDir));

        File.WriteAllText(patch, "");
        var empty = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains("empty", empty.Message);
        Assert.Equal(patch, empty.File);
    }

    [Fact]
    public async Task Bad_inputs_name_the_file_and_line()
    {
        using var sandbox = GitSandbox.Create();
        var series = Path.Combine(sandbox.Patches, PatchSeries.FileName);
        File.AppendAllText(series, "0009-missing.patch\n");
        var missing = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Equal((series, 6), (missing.File, missing.Line));
        Assert.Contains("0009-missing.patch", missing.Message);
        File.WriteAllLines(series, File.ReadAllLines(series).SkipLast(1));

        var patch = Path.Combine(sandbox.Patches, "0001-Changed-line-ten.patch");
        GitSandbox.Replace(sandbox.Patches, "0001-Changed-line-ten.patch", "Upstream-Status: Pending", "Upstream-Status: Maybe");
        var status = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Equal(patch, status.File);
        Assert.Contains("unknown Upstream-Status 'Maybe'", status.Message);
        Assert.StartsWith("Upstream-Status:", File.ReadAllLines(patch)[status.Line!.Value - 1]);
        GitSandbox.Replace(sandbox.Patches, "0001-Changed-line-ten.patch", "Upstream-Status: Maybe", "Upstream-Status: Pending");

        var lockPath = Path.Combine(sandbox.Project, UpstreamLock.FileName);
        File.WriteAllText(lockPath, "{\n  \"url\": \"x\",\n  \"ref\": \"1.0.0\"\n  \"commit\": \"abc\"\n}\n");
        var json = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Equal((lockPath, 4), (json.File, json.Line));
        Assert.Contains("malformed JSON", json.Message);
    }

    private static IEnumerable<string> Leftovers(GitSandbox sandbox) =>
        Directory.EnumerateDirectories(Path.GetDirectoryName(sandbox.WorkDir)!)
            .Where(d => Path.GetFileName(d).StartsWith("mesos.new-") || Path.GetFileName(d).StartsWith("mesos.old-"));
}
