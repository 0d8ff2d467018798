using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class ImageMetadataTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("triton-mesos-repo-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private const string Patch = """
        From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
        From: Dev <dev@example.org>
        Date: Mon, 1 Jan 2024 00:00:00 +0000
        Subject: [PATCH] Made the sandbox mount optional.

        Body.

        Feature: sandbox-mount
        Runtime-Flag: agent docker_mount_sandbox bool true
        Upstream-Status: Pending
        ---
        diff --git a/src/slave/flags.cpp b/src/slave/flags.cpp
        --- a/src/slave/flags.cpp
        +++ b/src/slave/flags.cpp
        @@ -1 +1 @@
        -a
        +b
        """;

    private void WriteRepository(string patchText)
    {
        Directory.CreateDirectory(new RepositoryLayout(_repo).Patches);
        File.WriteAllText(Path.Combine(_repo, UpstreamLock.FileName),
            """{ "url": "https://example.org/mesos.git", "ref": "1.11.0", "commit": "04bc7ee1984d86fbb0bd782ccc69ce44c13ae4b9" }""");
        File.WriteAllText(new RepositoryLayout(_repo).Series, "0001-sandbox.patch\n");
        File.WriteAllText(Path.Combine(new RepositoryLayout(_repo).Patches, "0001-sandbox.patch"), patchText);
    }

    [Fact]
    public void Labels_and_tag_come_from_the_lock_the_series_and_the_tree()
    {
        WriteRepository(Patch);
        using var tree = new MiniMesosTree();
        var metadata = ImageMetadata.FromRepository(_repo, tree.Root);
        Assert.Equal("1.11.0", metadata.MesosVersion);
        Assert.Equal("04bc7ee1984d86fbb0bd782ccc69ce44c13ae4b9", metadata.UpstreamCommit);
        Assert.Equal(["sandbox-mount"], metadata.Features);
        Assert.Matches("^[0-9a-f]{64}$", metadata.SeriesHash);
        Assert.Equal($"triton-mesos-agent:1.11.0-{metadata.SeriesHash[..12]}", metadata.Tag);
        var labels = metadata.Labels.ToDictionary(l => l.Key, l => l.Value);
        Assert.Equal("sandbox-mount", labels["io.triton-mesos.features"]);
        Assert.Equal(metadata.SeriesHash, labels["io.triton-mesos.series-hash"]);
        Assert.Equal(metadata.UpstreamCommit, labels["io.triton-mesos.upstream-commit"]);
        Assert.False(string.IsNullOrEmpty(labels["io.triton-mesos.tool-version"]));
    }

    [Fact]
    public void A_one_line_patch_change_changes_the_series_hash_and_the_tag()
    {
        WriteRepository(Patch);
        var before = ImageMetadata.HashDirectory(new RepositoryLayout(_repo).Patches);
        Assert.Equal(before, ImageMetadata.HashDirectory(new RepositoryLayout(_repo).Patches));
        WriteRepository(Patch.Replace("+b", "+c"));
        Assert.NotEqual(before, ImageMetadata.HashDirectory(new RepositoryLayout(_repo).Patches));
    }
}
