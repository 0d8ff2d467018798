using Xunit;

namespace TritonMesos.Pipeline.Tests;

public sealed class ExportTests
{
    private readonly PatchPipeline _pipeline = new();

    [Fact]
    public async Task Apply_then_export_reproduces_patches_byte_for_byte()
    {
        using var sandbox = GitSandbox.Create();
        var before = sandbox.SnapshotPatches();
        await _pipeline.ApplyAsync(sandbox.Apply);

        var result = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));

        Assert.True(result.NothingChanged);
        Assert.Equal(2, result.Unchanged.Count);
        sandbox.AssertPatchesAre(before);
    }

    [Fact]
    public async Task Export_to_another_directory_twice_gives_identical_bytes()
    {
        using var sandbox = GitSandbox.Create();
        await _pipeline.ApplyAsync(sandbox.Apply);

        await _pipeline.ExportAsync(new ExportOptions(sandbox.Location).WithOutputDir(Path.Combine(sandbox.Root, "out1")));
        await _pipeline.ExportAsync(new ExportOptions(sandbox.Location).WithOutputDir(Path.Combine(sandbox.Root, "out2")));

        var names = Directory.EnumerateFiles(Path.Combine(sandbox.Root, "out1")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["0001-Changed-line-ten.patch", "0002-Added-delta-to-b.patch", "series"], names);
        foreach (var name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(sandbox.Root, "out1", name!)),
                File.ReadAllBytes(Path.Combine(sandbox.Root, "out2", name!)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(sandbox.Patches, "0001-Changed-line-ten.patch")),
            File.ReadAllBytes(Path.Combine(sandbox.Root, "out1", "0001-Changed-line-ten.patch")));
    }

    [Fact]
    public async Task Edited_and_new_commits_keep_names_headers_and_series_comments()
    {
        using var sandbox = GitSandbox.Create();
        await _pipeline.ApplyAsync(sandbox.Apply);
        var work = sandbox.WorkDir;
        // Amend the first patch (rebase the second on top), then add a new commit.
        GitSandbox.Run(work, "checkout", "-q", "HEAD~1");
        GitSandbox.Replace(work, "src/a.txt", "\nten\n", "\nten (amended)\n");
        GitSandbox.Run(work, ["commit", "-q", "-a", "--amend", "--no-edit"],
            new Dictionary<string, string> { ["GIT_COMMITTER_DATE"] = "2026-11-21T00:00:00Z" });
        var amended = sandbox.Head(work);
        GitSandbox.Run(work, "checkout", "-q", "triton-mesos");
        GitSandbox.Run(work, "rebase", "-q", "--onto", amended, "HEAD~1");
        GitSandbox.Write(work, "src/c.txt", "new\n");
        GitSandbox.Run(work, "add", "src/c.txt");
        GitSandbox.Commit(work, "Added the c file.\n\nFeature: triton-network\nUpstream-Status: Submitted [dev@mesos.apache.org]",
            "2026-11-22T00:00:00Z");
        var series = Path.Combine(sandbox.Patches, PatchSeries.FileName);
        var first = Path.Combine(sandbox.Patches, "0001-Changed-line-ten.patch");
        var trailersBefore = PatchFile.Load(first).Trailers.Select(t => (t.Key, t.Value)).ToList();

        var result = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));

        Assert.Equal(["0001-Changed-line-ten.patch", "0003-Added-the-c-file.patch"], result.Written.Order());
        Assert.Equal(["0002-Added-delta-to-b.patch"], result.Unchanged);
        Assert.Contains("+ten (amended)", File.ReadAllText(first));
        Assert.Equal(trailersBefore, PatchFile.Load(first).Trailers.Select(t => (t.Key, t.Value)).ToList());
        Assert.Equal("# The test series.\n0001-Changed-line-ten.patch\n\n# Network.\n0002-Added-delta-to-b.patch  # trailing comment\n" +
                     "0003-Added-the-c-file.patch\n", File.ReadAllText(series));
        var added = PatchFile.Load(Path.Combine(sandbox.Patches, "0003-Added-the-c-file.patch"));
        Assert.Equal("Submitted [dev@mesos.apache.org]", added.Trailer("Upstream-Status"));
        Assert.StartsWith("From 0000000000000000000000000000000000000000 ", File.ReadAllText(added.Path));
        Assert.DoesNotContain("\n-- \n", File.ReadAllText(added.Path));

        // The exported series applies and exports to itself again.
        var reapplied = await _pipeline.ApplyAsync(sandbox.Apply.WithForce());
        var again = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));
        Assert.Equal(3, reapplied.Applied.Count);
        Assert.True(again.NothingChanged);
    }

    [Fact]
    public async Task Dropped_commit_removes_its_patch_and_series_line()
    {
        using var sandbox = GitSandbox.Create();
        await _pipeline.ApplyAsync(sandbox.Apply);
        GitSandbox.Run(sandbox.WorkDir, "reset", "-q", "--hard", "HEAD~1");

        var result = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));

        Assert.Equal(["0002-Added-delta-to-b.patch"], result.Removed);
        Assert.False(File.Exists(Path.Combine(sandbox.Patches, "0002-Added-delta-to-b.patch")));
        Assert.Equal("# The test series.\n0001-Changed-line-ten.patch\n\n# Network.\n", File.ReadAllText(Path.Combine(sandbox.Patches, PatchSeries.FileName)));
    }

    [Fact]
    public async Task Export_after_a_features_subset_keeps_the_other_features_patches()
    {
        using var sandbox = GitSandbox.Create();
        var before = sandbox.SnapshotPatches();
        await _pipeline.ApplyAsync(sandbox.Apply.WithFeatures(["triton-network"]));

        var result = await _pipeline.ExportAsync(new ExportOptions(sandbox.Location));

        Assert.True(result.NothingChanged);
        Assert.Equal(before.Keys.Order(), sandbox.SnapshotPatches().Keys.Order());
    }
}
