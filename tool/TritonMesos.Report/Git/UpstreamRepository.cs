using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using TritonMesos.Report.Diffs;

namespace TritonMesos.Report.Git;

/// <summary>Read-only access to an upstream clone through libgit2: refs, trees and blob text, never a checkout.</summary>
public sealed partial class UpstreamRepository : IDisposable
{
    /// <summary>Blobs this large are never read (the local Mesos mirror lacks its big tarballs).</summary>
    private const long MaxBlobSize = 4L * 1024 * 1024;

    private readonly Repository _repository;
    private readonly ConcurrentDictionary<string, TextFile?> _blobs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), bool> _ancestry = [];

    /// <summary>The path of the clone (bare or not).</summary>
    public string Path { get; }

    private UpstreamRepository(string path, Repository repository)
    {
        Path = path;
        _repository = repository;
    }

    /// <summary>Opens a local clone; the error names the path and how to get a clone.</summary>
    public static UpstreamRepository Open(string path)
    {
        if (!Directory.Exists(path))
            throw new TritonMesosException($"upstream clone '{path}' does not exist", nextStep:
                "pass --upstream-url <path of a local Mesos clone with tags>, or fill the cache with the pipeline (`./build.sh Fetch`)");
        try
        {
            return new UpstreamRepository(path, new Repository(path));
        }
        catch (RepositoryNotFoundException e)
        {
            throw new TritonMesosException($"'{path}' is not a git repository", nextStep: "pass --upstream-url <path of a local Mesos clone>", inner: e);
        }
    }

    [GeneratedRegex(@"^(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)$")]
    private static partial Regex ReleaseTag();

    /// <summary>Final release tags (x.y.z, no -rc) from <paramref name="minimum"/> on, oldest first.</summary>
    public IReadOnlyList<string> ReleaseTags(System.Version minimum) =>
        _repository.Tags
            .Select(t => t.FriendlyName)
            .Select(name => (name, match: ReleaseTag().Match(name)))
            .Where(t => t.match.Success)
            .Select(t => (t.name, version: new System.Version(Int(t.match, "major"), Int(t.match, "minor"), Int(t.match, "patch"))))
            .Where(t => t.version >= minimum)
            .OrderBy(t => t.version)
            .Select(t => t.name)
            .ToList();

    /// <summary>The main branch name: <c>master</c>, else <c>main</c>, else null.</summary>
    public string? MainBranch() =>
        new[] { "master", "main" }.FirstOrDefault(b => _repository.Branches[b] is not null || _repository.Branches["origin/" + b] is not null);

    /// <summary>Resolves a tag, branch or commit to its commit; null when unknown.</summary>
    public RefInfo? Resolve(string name)
    {
        var commit = TryCommit(name) ?? TryCommit("origin/" + name);
        return commit is null ? null
            : new RefInfo(name, commit.Sha, commit.Committer.When.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private Commit? TryCommit(string name)
    {
        try
        {
            return _repository.Lookup(name)?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>The text of <paramref name="path"/> in <paramref name="commit"/>, or null when absent (or not a regular file).</summary>
    public TextFile? ReadFile(string commit, string path) => ReadEntry(commit, path)?.Text;

    /// <summary>The text and file mode (e.g. 100644) of a path in a commit.</summary>
    public (TextFile Text, string Mode)? ReadEntry(string commit, string path) =>
        _entries.GetOrAdd((commit, path), key =>
        {
            var tree = _trees.GetOrAdd(key.Commit, c => _repository.Lookup<Commit>(c)?.Tree);
            var entry = tree?[key.Path];
            if (entry is null || entry.TargetType != TreeEntryTargetType.Blob)
                return null;
            var text = ReadBlob(entry.Target.Sha);
            return text is null ? null : (text, Convert.ToString((int)entry.Mode, 8));
        });

    private readonly ConcurrentDictionary<(string Commit, string Path), (TextFile Text, string Mode)?> _entries = new();
    private readonly ConcurrentDictionary<string, Tree?> _trees = new(StringComparer.Ordinal);

    /// <summary>The text of a blob by id, or null when the clone lacks it or it is too big to be source.</summary>
    public TextFile? ReadBlob(string id) => _blobs.GetOrAdd(id, key =>
    {
        try
        {
            var blob = _repository.Lookup<Blob>(key);
            if (blob is null || blob.Size > MaxBlobSize)
                return null;
            using var reader = new StreamReader(blob.GetContentStream(), detectEncodingFromByteOrderMarks: false);
            return TextFile.Parse(reader.ReadToEnd());
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    });

    /// <summary>The subject line of a commit.</summary>
    public string Subject(string commit) => _repository.Lookup<Commit>(commit)?.MessageShort ?? "";

    /// <summary>The full id of an abbreviated commit id, or null when unknown.</summary>
    public string? FullCommitId(string abbreviated) => TryCommit(abbreviated)?.Sha;

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/>.</summary>
    public bool IsAncestor(string ancestor, string descendant)
    {
        if (ancestor == descendant)
            return true;
        if (_ancestry.TryGetValue((ancestor, descendant), out var known))
            return known;
        var a = _repository.Lookup<Commit>(ancestor);
        var d = _repository.Lookup<Commit>(descendant);
        var result = a is not null && d is not null && _repository.ObjectDatabase.FindMergeBase(a, d)?.Sha == a.Sha;
        _ancestry[(ancestor, descendant)] = result;
        return result;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    public void Dispose() => _repository.Dispose();
}
