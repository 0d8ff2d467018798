using TritonMesos.Report.Git;

namespace TritonMesos.Report.Tests;

/// <summary>
/// A real upstream git repository with tags 1.0.0, 1.1.0, 1.2.0, 1.3.0 and master, and a fork project (patches/, series,
/// upstream.lock at 1.2.0, features.json) whose patches were made with git format-patch against 1.2.0:
/// 0001 a.txt applies everywhere (offset on 1.0.0, fuzz on master); 0002 b.txt conflicts from 1.3.0 on;
/// 0003 c.txt is merged upstream in 1.3.0 by a different commit; 0004 d.txt touches a file deleted on master;
/// 0005 e.txt needs a 3-way merge from 1.3.0 on (upstream changed a context line between its two edits).
/// </summary>
public sealed class UpstreamFixture : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tm-report-" + Guid.NewGuid().ToString("N")[..10]);
    public string Upstream => Path.Combine(Directory, "upstream");
    public string Project => Path.Combine(Directory, "project");
    public string Patches => Path.Combine(Project, "patches");
    public string MergedCommit { get; private set; } = "";
    public string BackportCommit { get; private set; } = "";
    public IReadOnlyDictionary<string, string> Tags => _tags;
    private readonly Dictionary<string, string> _tags = [];

    public static readonly string[] AllPatches =
        ["0001-a-everywhere.patch", "0002-b-conflicts.patch", "0003-c-merged.patch", "0004-d-deleted.patch", "0005-e-threeway.patch"];

    public UpstreamFixture() : this(AllPatches) { }

    public UpstreamFixture(IReadOnlyList<string> series)
    {
        System.IO.Directory.CreateDirectory(Upstream);
        Git(Upstream, "init", "-q", "-b", "master");
        // 1.0.0
        Write("a.txt", Numbered("a", 30));
        Write("b.txt", Numbered("b", 30));
        Write("c.txt", Numbered("c", 30));
        Write("d.txt", Numbered("d", 30));
        Write("e.txt", Numbered("e", 30));
        Write("src/slave/flags.cpp", Flags("docker_remove_delay"));
        Commit("Initial import.");
        Tag("1.0.0");
        // 1.1.0: lines inserted at the top of a.txt (P1 moves by 3 lines).
        Write("a.txt", "new1\nnew2\nnew3\n" + Numbered("a", 30));
        Commit("Grew a.txt.");
        Tag("1.1.0");
        // 1.2.0 (the lock): a new flag, which the "names" feature claims as a backport.
        Write("src/slave/flags.cpp", Flags("docker_remove_delay", "container_names"));
        BackportCommit = Commit("Added --container_names.");
        Tag("1.2.0");
        // 1.3.0: b10 rewritten (P2 conflicts), P3's change merged differently, e17 changed (P5 needs 3-way).
        Write("b.txt", Numbered("b", 30).Replace("b10\n", "b10 rewritten upstream\n"));
        Commit("Rewrote b10.");
        Write("c.txt", Numbered("c", 30).Replace("c15\n", "c15 fixed\n"));
        MergedCommit = Commit("Fixed c15 (upstream's own commit).");
        Write("e.txt", Numbered("e", 30).Replace("e17\n", "e17 upstream\n"));
        Commit("Touched e17.");
        Tag("1.3.0");
        // master: d.txt deleted, a.txt line a8 (first context line of P1's hunk) changed.
        File.Delete(Path.Combine(Upstream, "d.txt"));
        Git(Upstream, "rm", "-q", "--cached", "d.txt");
        Write("a.txt", ("new1\nnew2\nnew3\n" + Numbered("a", 30)).Replace("a8\n", "a8 changed\n"));
        Commit("Removed d.txt, touched a8.");

        // The fork: one commit per patch on top of 1.2.0, exported with format-patch.
        var fork = Path.Combine(Directory, "fork");
        Git(Directory, "clone", "-q", Upstream, fork);
        Git(fork, "checkout", "-q", "-b", "fork", "1.2.0");
        var a = File.ReadAllText(Path.Combine(fork, "a.txt"));
        ForkCommit(fork, "a.txt", a.Replace("a11\n", "a11 patched\n"), "Patched a11.", "a-feature", "agent a_flag bool false", "Pending");
        ForkCommit(fork, "b.txt", Numbered("b", 30).Replace("b10\n", "b10 patched\n"), "Patched b10.", "b-feature", "agent b_flag bool false", "Inappropriate [test]");
        ForkCommit(fork, "c.txt", Numbered("c", 30).Replace("c15\n", "c15 fixed\n"), "Fixed c15.", "c-feature", null, "Submitted [review]");
        ForkCommit(fork, "d.txt", Numbered("d", 30).Replace("d5\n", "d5 patched\n"), "Patched d5.", "d-feature", null, "Pending");
        ForkCommit(fork, "e.txt", Numbered("e", 30).Replace("e15\n", "e15 patched\n").Replace("e19\n", "e19 patched\n"), "Patched e15 and e19.", "e-feature", null, "Pending");
        var exported = Path.Combine(Directory, "exported");
        Git(fork, "format-patch", "-q", "--zero-commit", "--full-index", "--no-signature", "--no-numbered", "-o", exported, "1.2.0..fork");
        var names = System.IO.Directory.EnumerateFiles(exported).Order(StringComparer.Ordinal).ToList();

        System.IO.Directory.CreateDirectory(Patches);
        for (var i = 0; i < AllPatches.Length; i++)
            if (series.Contains(AllPatches[i]))
                File.Copy(names[i], Path.Combine(Patches, AllPatches[i]));
        File.WriteAllText(Path.Combine(Patches, "series"), "# test series\n" + string.Join("\n", series) + "\n");
        File.WriteAllText(Path.Combine(Patches, "features.json"), $$"""
            {
              "features": [
                { "id": "remove-delay", "description": "docker rm soon after exit", "flags": ["--docker_remove_delay"],
                  "upstreamStatus": "Inappropriate [configuration]", "evidence": "--docker_remove_delay since 0.21.0" },
                { "id": "names", "description": "lower-case container names", "flags": [],
                  "upstreamStatus": "Backport [1.2.0, {{BackportCommit[..9]}}]", "evidence": "upstream naming" },
                { "id": "a-feature", "description": "patched a", "flags": ["agent a_flag bool false"],
                  "upstreamStatus": "Pending", "evidence": "" }
              ]
            }
            """);
        new UpstreamLock(Upstream, "1.2.0", _tags["1.2.0"]).Save(Path.Combine(Project, UpstreamLock.FileName));
    }

    public static string Numbered(string prefix, int count) =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"{prefix}{i}\n"));

    private static string Flags(params string[] names) =>
        "Flags::Flags()\n{\n" + string.Concat(names.Select(n => $"  add(&Flags::{n},\n      \"{n}\",\n      \"help\");\n\n")) + "}\n";

    private void Write(string path, string text)
    {
        var full = Path.Combine(Upstream, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private int _clock;

    private string Commit(string message)
    {
        Git(Upstream, "add", "-A");
        Git(Upstream, "commit", "-q", "-m", message);
        return Git(Upstream, "rev-parse", "HEAD").Trim();
    }

    private void Tag(string name)
    {
        Git(Upstream, "tag", name);
        _tags[name] = Git(Upstream, "rev-parse", "HEAD").Trim();
    }

    private void ForkCommit(string fork, string file, string text, string subject, string feature, string? flag, string status)
    {
        File.WriteAllText(Path.Combine(fork, file), text);
        Git(fork, "add", file);
        var trailers = $"Feature: {feature}\n" + (flag is null ? "" : $"Runtime-Flag: {flag}\n") + $"Upstream-Status: {status}\nLast-Update: 2020-01-01";
        Git(fork, "commit", "-q", "-m", $"{subject}\n\nWhy {subject}\n\n{trailers}");
    }

    public string Git(string directory, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Test Author", ["GIT_AUTHOR_EMAIL"] = "author@example.org",
            ["GIT_COMMITTER_NAME"] = "Test Committer", ["GIT_COMMITTER_EMAIL"] = "committer@example.org",
            ["GIT_AUTHOR_DATE"] = $"2020-01-01T00:{_clock / 60 % 60:00}:{_clock % 60:00}Z",
            ["GIT_COMMITTER_DATE"] = $"2020-01-01T00:{_clock / 60 % 60:00}:{_clock++ % 60:00}Z",
        };
        var output = global::TritonMesos.Git.Command(directory, args).WithEnvironment(env).TryRunAsync().GetAwaiter().GetResult();
        if (!output.Succeeded)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {output.StandardError}");
        return output.StandardOutput;
    }

    /// <summary>Hashes of every file under patches/ and the lock, to prove nothing changed.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        System.IO.Directory.EnumerateFiles(Patches).Append(Path.Combine(Project, UpstreamLock.FileName))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
