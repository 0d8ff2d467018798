using System.Diagnostics;
using System.Text;

namespace TritonMesos.Pipeline.Tests;

/// <summary>
/// A temp directory with a small real upstream (tags 1.0.0 and 1.1.0, a side commit), a bare clone of it as the
/// 'remote', and a project root with upstream.lock, patches/series and patches made by real `git format-patch`.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tm-pipeline-" + Guid.NewGuid().ToString("N")[..10]);
    public string Source => Path.Combine(Root, "upstream-src");
    public string Remote => Path.Combine(Root, "remote.git");
    public string Project => Path.Combine(Root, "project");
    public string Patches => new RepositoryLayout(Project).Patches;
    public string Cache => Path.Combine(Root, "cache", "upstream.git");
    public string WorkDir => new RepositoryLayout(Project).WorkTree;
    public List<string> ProgressLines { get; } = [];

    /// <summary>Commit of tag 1.0.0 (what the lock pins).</summary>
    public string V100 { get; private set; } = "";

    /// <summary>Commit of tag 1.1.0.</summary>
    public string V110 { get; private set; } = "";

    /// <summary>A commit after 1.0.0 that changes line 7 of src/a.txt (patches made on it need a 3-way merge).</summary>
    public string SideLine7 { get; private set; } = "";

    /// <summary>A commit after 1.0.0 that changes line 10 of src/a.txt (patches made on it conflict).</summary>
    public string SideLine10 { get; private set; } = "";

    public static GitSandbox Create()
    {
        var sandbox = new GitSandbox();
        sandbox.Build();
        return sandbox;
    }

    private void Build()
    {
        Directory.CreateDirectory(Source);
        Run(Source, "init", "-q", "-b", "main");
        Write(Source, "src/a.txt", string.Join("", Enumerable.Range(1, 40).Select(i => $"{i}\n")));
        Write(Source, "src/b.txt", "alpha\nbeta\ngamma\n");
        Write(Source, "README", "A tiny upstream.\n");
        Run(Source, "add", ".");
        Commit(Source, "Initial import.", "2020-01-01T00:00:00Z");
        Run(Source, "tag", "-a", "-m", "Release 1.0.0", "1.0.0");
        V100 = Head(Source);
        Run(Source, "checkout", "-q", "-b", "side7");
        Replace(Source, "src/a.txt", "7\n", "seven\n");
        Commit(Source, "Spelled out seven.", "2020-01-02T00:00:00Z", all: true);
        SideLine7 = Head(Source);
        Run(Source, "checkout", "-q", "-b", "side10", V100);
        Replace(Source, "src/a.txt", "\n10\n", "\nTEN\n");
        Commit(Source, "Shouted ten.", "2020-01-03T00:00:00Z", all: true);
        SideLine10 = Head(Source);
        Run(Source, "checkout", "-q", "main");
        Write(Source, "README", "A tiny upstream, now 1.1.0.\n");
        Commit(Source, "Released 1.1.0.", "2020-02-01T00:00:00Z", all: true);
        Run(Source, "tag", "-a", "-m", "Release 1.1.0", "1.1.0");
        V110 = Head(Source);
        Run(Root, "clone", "-q", "--bare", Source, Remote);

        Directory.CreateDirectory(Patches);
        WriteLock(Remote, "1.0.0", V100);
        var names = MakePatches(V100, 1,
            ("Changed line ten.", "sandbox-mount", "src/a.txt", "\n10\n", "\nten\n"),
            ("Added delta to b.", "triton-network", "src/b.txt", "gamma\n", "gamma\ndelta\n"));
        File.WriteAllText(Path.Combine(Patches, PatchSeries.FileName),
            $"# The test series.\n{names[0]}\n\n# Network.\n{names[1]}  # trailing comment\n");
    }

    public void WriteLock(string url, string @ref, string commit) =>
        File.WriteAllText(Path.Combine(Project, UpstreamLock.FileName),
            $"{{\n  \"url\": \"{url}\",\n  \"ref\": \"{@ref}\",\n  \"commit\": \"{commit}\"\n}}\n");

    /// <summary>Makes one commit per change on <paramref name="baseCommit"/> and writes them with real format-patch.</summary>
    public IReadOnlyList<string> MakePatches(string baseCommit, int startNumber,
        params (string Subject, string Feature, string File, string Find, string ReplaceWith)[] changes)
    {
        var work = Path.Combine(Root, "patch-work-" + Guid.NewGuid().ToString("N")[..6]);
        Run(Root, "clone", "-q", Source, work);
        Run(work, "checkout", "-q", "--detach", baseCommit);
        var day = 10;
        foreach (var change in changes)
        {
            Replace(work, change.File, change.Find, change.ReplaceWith);
            var message = $"{change.Subject}\n\nWhy this change exists, for the tests.\n\n" +
                          $"Feature: {change.Feature}\nRuntime-Flag: agent {change.Feature.Replace('-', '_')} bool false\n" +
                          "Upstream-Status: Pending\nForwarded: no\nLast-Update: 2026-11-25";
            Commit(work, message, $"2026-11-{day++}T12:00:00Z", all: true);
        }
        var names = Run(work, "format-patch", "--zero-commit", "--full-index", "--no-signature", "--no-numbered",
                "--start-number", startNumber.ToString(), "-o", Patches, $"{baseCommit}..HEAD")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName).OfType<string>().ToList();
        Directory.Delete(work, recursive: true);
        return names;
    }

    public PipelineLocation Location => new PipelineLocation(Project).WithCacheDir(Cache)
        .WithProgress(new ListProgress(ProgressLines));

    public ApplyOptions Apply => new(Location);

    public Dictionary<string, byte[]> SnapshotPatches() =>
        Directory.EnumerateFiles(Patches).ToDictionary(p => Path.GetFileName(p)!, File.ReadAllBytes);

    /// <summary>Asserts that patches/ holds the same files with the same bytes as in <paramref name="before"/>.</summary>
    public void AssertPatchesAre(Dictionary<string, byte[]> before)
    {
        var after = SnapshotPatches();
        Xunit.Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
            Xunit.Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    public string Head(string repo) => Run(repo, "rev-parse", "HEAD").Trim();

    public static void Write(string repo, string relative, string text)
    {
        var path = Path.Combine(repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public static void Replace(string repo, string relative, string find, string replaceWith)
    {
        var path = Path.Combine(repo, relative);
        var text = File.ReadAllText(path);
        if (!text.Contains(find, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{find}' not in {path}");
        File.WriteAllText(path, text.Replace(find, replaceWith));
    }

    public static void Commit(string repo, string message, string date, bool all = false)
    {
        var args = new List<string> { "commit", "-q", "-m", message };
        if (all)
            args.Insert(1, "-a");
        Run(repo, [.. args], new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });
    }

    public static string Run(string directory, params string[] args) => Run(directory, args, null);

    public static string Run(string directory, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_AUTHOR_NAME"] = "Test Author";
        start.Environment["GIT_AUTHOR_EMAIL"] = "author@example.org";
        start.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        start.Environment["GIT_COMMITTER_EMAIL"] = "author@example.org";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {directory}: {stderr}");
        return stdout.Result;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root))
                Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects progress lines synchronously.</summary>
public sealed class ListProgress(List<string> lines) : IProgress<string>
{
    public void Report(string value)
    {
        lock (lines)
            lines.Add(value);
    }
}
