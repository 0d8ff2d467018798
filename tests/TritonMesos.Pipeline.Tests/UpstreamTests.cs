using Xunit;

namespace TritonMesos.Pipeline.Tests;

public sealed class UpstreamTests
{
    private readonly PatchPipeline _pipeline = new();

    [Fact]
    public async Task Second_run_needs_no_network_the_cache_serves_it()
    {
        using var sandbox = GitSandbox.Create();
        var first = await _pipeline.ApplyAsync(sandbox.Apply);
        Directory.Move(sandbox.Remote, sandbox.Remote + ".gone");
        Directory.Move(sandbox.Source, sandbox.Source + ".gone");
        Directory.Delete(sandbox.WorkDir, recursive: true);
        sandbox.ProgressLines.Clear();

        var second = await _pipeline.ApplyAsync(sandbox.Apply);

        Assert.Equal(first.Head, second.Head);
        Assert.Contains(sandbox.ProgressLines, l => l.Contains("is in the cache") && l.Contains("no fetch needed"));
        Assert.DoesNotContain(sandbox.ProgressLines, l => l.StartsWith("fetching"));
    }

    [Fact]
    public async Task Unreachable_url_names_the_url_and_the_override()
    {
        using var sandbox = GitSandbox.Create();
        var url = Path.Combine(sandbox.Root, "nowhere.git");

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(new ApplyOptions(sandbox.Location.WithUpstreamUrl(url))));

        Assert.Contains($"cannot reach upstream {url}", error.Message);
        Assert.Contains("--upstream-url", error.NextStep);

        // The override is how offline users point at a mirror: the same content from another path works.
        var mirror = Path.Combine(sandbox.Root, "mirror.git");
        GitSandbox.Run(sandbox.Root, "clone", "-q", "--bare", sandbox.Remote, mirror);
        WriteLockUrl(sandbox, "https://upstream.invalid/mesos.git");
        var result = await _pipeline.ApplyAsync(new ApplyOptions(sandbox.Location.WithUpstreamUrl(mirror)));
        Assert.Equal(2, result.Applied.Count);
    }

    [Fact]
    public async Task Wrong_commit_in_lock_prints_both_commits()
    {
        using var sandbox = GitSandbox.Create();
        sandbox.WriteLock(sandbox.Remote, "1.0.0", sandbox.V110);

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));

        Assert.Contains($"resolves '1.0.0' (refs/tags/1.0.0) to {sandbox.V100}", error.Message);
        Assert.Contains($"upstream.lock pins {sandbox.V110}", error.Message);
        Assert.EndsWith("upstream.lock", error.File);
        Assert.False(Directory.Exists(sandbox.WorkDir));
    }

    [Fact]
    public async Task Unknown_commit_and_unknown_ref_are_errors()
    {
        using var sandbox = GitSandbox.Create();
        var unknown = new string('a', 40);
        sandbox.WriteLock(sandbox.Remote, "1.0.0", unknown);
        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains(unknown, error.Message);
        Assert.Contains(sandbox.V100, error.Message);

        sandbox.WriteLock(sandbox.Remote, "9.9.9", sandbox.V100);
        var noRef = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));
        Assert.Contains("'9.9.9' is neither a tag nor a branch", noRef.Message);
    }

    [Fact]
    public async Task Moved_tag_stops_with_both_commits()
    {
        using var sandbox = GitSandbox.Create();
        GitSandbox.Run(sandbox.Remote, "tag", "-f", "-a", "-m", "Re-released 1.0.0", "1.0.0", sandbox.V110);

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => _pipeline.ApplyAsync(sandbox.Apply));

        Assert.Contains($"to {sandbox.V110}, but upstream.lock pins {sandbox.V100}", error.Message);
        Assert.Contains("Update", error.NextStep);
    }

    [Fact]
    public async Task Upstream_ref_override_must_still_name_the_locked_commit()
    {
        using var sandbox = GitSandbox.Create();
        GitSandbox.Run(sandbox.Remote, "tag", "mirror-1.0.0", sandbox.V100);

        var result = await _pipeline.ApplyAsync(new ApplyOptions(sandbox.Location.WithUpstreamRef("mirror-1.0.0")));
        Assert.Equal(sandbox.V100, result.UpstreamCommit);

        var error = await Assert.ThrowsAsync<TritonMesosException>(() =>
            _pipeline.ApplyAsync(new ApplyOptions(sandbox.Location.WithUpstreamRef("1.1.0").WithWorkDir(".work/other")
                .WithCacheDir(Path.Combine(sandbox.Root, "cache2", "c.git")))));
        Assert.Contains(sandbox.V110, error.Message);
    }

    private static void WriteLockUrl(GitSandbox sandbox, string url)
    {
        var path = Path.Combine(sandbox.Project, UpstreamLock.FileName);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(text, "\"url\": \"[^\"]*\"", $"\"url\": \"{url}\""));
    }
}
