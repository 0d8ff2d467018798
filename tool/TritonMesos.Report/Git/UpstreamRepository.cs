using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Diffs;

namespace TritonMesos.Report.Git;

/// <summary>Read-only access to an upstream clone through libgit2: refs, trees and blob text, never a checkout.</summary>
internal sealed partial class UpstreamRepository : IDisposable
{
    /// <summary>Blobs this large are never read (the local Mesos mirror lacks its big tarballs).</summary>
    internal const long MaxBlobSize = 4L * 1024 * 1024;

    private readonly Repository _repository;
    private readonly ConcurrentDictionary<string, Lazy<TextFile?>> _blobs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), bool> _ancestry = [];

    /// <summary>Serializes libgit2 calls: the matrix reads trees and blobs from several threads, one repository object.</summary>
    private readonly Lock _gate = new();

    /// <summary>The path of the clone (bare or not).</summary>
    internal string Path { get; }

    private UpstreamRepository(string path, Repository repository)
    {
        Path = path;
        _repository = repository;
        _checker = new(() => CatFile.Start(path, contents: false));
        _reader = new(() => CatFile.Start(path, contents: true));
    }

    /// <summary>Opens a local clone; the error names the path and how to get a clone.</summary>
    public static UpstreamRepository Open(string path)
    {
        if (!Directory.Exists(path))
            throw ReportErrors.CloneMissing(path);
        try
        {
            return new UpstreamRepository(path, new Repository(path));
        }
        catch (RepositoryNotFoundException e)
        {
            throw ReportErrors.NotARepository(path, e);
        }
    }

    [GeneratedRegex(@"^(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)$")]
    private static partial Regex ReleaseTag();

    /// <summary>Final release tags (x.y.z, no -rc) from <paramref name="minimum"/> on, oldest first.</summary>
    internal IReadOnlyList<string> ReleaseTags(System.Version minimum) =>
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
    internal string? MainBranch()
    {
        lock (_gate)
            return new[] { "master", "main" }.FirstOrDefault(b => _repository.Branches[b] is not null || _repository.Branches["origin/" + b] is not null);
    }

    /// <summary>Resolves a tag, branch or commit to its commit; null when unknown.</summary>
    public RefInfo? Resolve(string name)
    {
        lock (_gate)
        {
            var commit = TryCommit(name) ?? TryCommit("origin/" + name);
            return commit is null ? null
                : new RefInfo(name, commit.Sha, commit.Committer.When.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private Commit? TryCommit(string name)
    {
        lock (_gate)
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
    }

    /// <summary>The text of <paramref name="path"/> in <paramref name="commit"/>, or null when absent (or not a regular file).</summary>
    public TextFile? ReadFile(string commit, string path) => Entry(commit, path) is { } entry ? ReadBlob(entry.Id) : null;

    /// <summary>The text and file mode (e.g. 100644) of a path in a commit.</summary>
    internal (TextFile Text, string Mode)? ReadEntry(string commit, string path) =>
        ReadFile(commit, path) is { } text && Mode(commit, path) is { } mode ? (text, mode) : null;

    /// <summary>The git blob id of <paramref name="path"/> in <paramref name="commit"/>, or null when absent (or not a regular file); reads no blob.</summary>
    internal string? BlobId(string commit, string path) => Entry(commit, path)?.Id;

    /// <summary>The file mode (e.g. 100644) of <paramref name="path"/> in <paramref name="commit"/>, or null when absent (or not a regular file); reads no blob.</summary>
    internal string? Mode(string commit, string path) =>
        _modes.GetOrAdd((commit, path), key => new Lazy<string?>(() =>
        {
            lock (_gate)
            {
                var tree = _trees.GetOrAdd(key.Commit, c => _repository.Lookup<Commit>(c)?.Tree);
                var entry = tree?[key.Path];
                return entry is null || entry.TargetType != TreeEntryTargetType.Blob ? null : Convert.ToString((int)entry.Mode, 8);
            }
        })).Value;

    /// <summary>The blob at <paramref name="path"/> in <paramref name="commit"/>: its id and size from the object header (git cat-file --batch-check), or null.</summary>
    private (string Id, long Size)? Entry(string commit, string path) =>
        _entries.GetOrAdd((commit, path), key => new Lazy<(string, long)?>(() =>
            Checker.Find($"{key.Commit}:{key.Path}") is { Type: "blob" } found ? (found.Id, found.Size) : null)).Value;

    private readonly ConcurrentDictionary<(string Commit, string Path), Lazy<(string Id, long Size)?>> _entries = new();
    private readonly ConcurrentDictionary<(string Commit, string Path), Lazy<string?>> _modes = new();
    private readonly ConcurrentDictionary<string, Tree?> _trees = new(StringComparer.Ordinal);

    /// <summary>True when <see cref="ReadFile"/> gives a text for the path: a blob of at most <see cref="MaxBlobSize"/> bytes (object header only, no blob read).</summary>
    internal bool IsReadable(string commit, string path) => Entry(commit, path) is { Size: <= MaxBlobSize };

    /// <summary>Looks up <paramref name="paths"/> in every one of <paramref name="commits"/> with one batch of questions to git (instead of one question per look-up).</summary>
    internal void FindEntries(IReadOnlyList<string> commits, IReadOnlyList<string> paths)
    {
        var keys = commits.SelectMany(c => paths.Select(p => (Commit: c, Path: p))).Where(k => !_entries.ContainsKey(k)).Distinct().ToList();
        var found = Checker.FindAll(keys.Select(k => $"{k.Commit}:{k.Path}").ToList());
        for (var i = 0; i < keys.Count; i++)
        {
            (string, long)? entry = found[i] is { Type: "blob" } blob ? (blob.Id, blob.Size) : null;
            _entries.TryAdd(keys[i], new Lazy<(string, long)?>(entry));
        }
    }

    // Names the blobs a run is about to read: the first ReadBlob starts reading all of them at once in the background
    // (one stream from git, texts parsed on the thread pool), and a read of one of them waits for it. A run that reads
    // no blob (every outcome cached) reads none of them.
    /// <summary>Names the blobs a run is about to read; the first <see cref="ReadBlob"/> reads them all in the background.</summary>
    internal void ReadAheadOnFirstRead(IReadOnlyList<string> ids) => _readAhead = ids;

    private IReadOnlyList<string>? _readAhead;

    /// <summary>The text of a blob by id, or null when the clone lacks it or it is too big to be source.</summary>
    public TextFile? ReadBlob(string id)
    {
        if (Interlocked.Exchange(ref _readAhead, null) is { } ahead)
            StartReadAhead(ahead);
        return _blobs.GetOrAdd(id, key => new Lazy<TextFile?>(() => BlobText(key))).Value;
    }

    private void StartReadAhead(IReadOnlyList<string> ids)
    {
        var pending = new List<(string Id, TaskCompletionSource<TextFile?> Text)>();
        foreach (var id in ids.Distinct())
        {
            var text = new TaskCompletionSource<TextFile?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_blobs.TryAdd(id, new Lazy<TextFile?>(() => text.Task.GetAwaiter().GetResult())))
                pending.Add((id, text));
        }
        if (pending.Count == 0)
            return;
        Task.Factory.StartNew(() =>
        {
            try
            {
                using var reader = CatFile.Start(Path, contents: true);
                reader.FindAll(pending.Select(p => p.Id).ToList(), MaxBlobSize, (i, blob) =>
                {
                    Interlocked.Increment(ref _blobsRead);
                    var target = pending[i].Text;
                    if (blob is not { Type: "blob", Content: { } content })
                        target.SetResult(null);
                    else
                        ThreadPool.QueueUserWorkItem(_ => target.SetResult(Text(content)));
                });
            }
            catch (Exception e)
            {
                foreach (var (_, text) in pending)
                    text.TrySetException(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>How many blobs were read (inflated) so far; a warm report reads none.</summary>
    internal int BlobsRead => Volatile.Read(ref _blobsRead);

    private int _blobsRead;

    private TextFile? BlobText(string id)
    {
        Interlocked.Increment(ref _blobsRead);
        return Reader.Find(id, MaxBlobSize) is { Type: "blob", Content: { } content } ? Text(content) : null;
    }

    /// <summary>A blob's text as a StreamReader decodes it (UTF-8, a leading byte order mark dropped), in lines.</summary>
    private static TextFile Text(byte[] content) =>
        TextFile.Parse(content.AsSpan(content.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));

    /// <summary>The clone's object headers (ids, types, sizes of <c>commit:path</c> names), one git process for the run.</summary>
    private CatFile Checker => _checker.Value;

    /// <summary>The clone's object contents, one git process for the run.</summary>
    private CatFile Reader => _reader.Value;

    private readonly Lazy<CatFile> _checker;
    private readonly Lazy<CatFile> _reader;

    /// <summary>The subject line of a commit.</summary>
    internal string Subject(string commit)
    {
        lock (_gate)
            return _repository.Lookup<Commit>(commit)?.MessageShort ?? "";
    }

    /// <summary>The full id of an abbreviated commit id, or null when unknown.</summary>
    internal string? FullCommitId(string abbreviated) => TryCommit(abbreviated)?.Sha;

    /// <summary>Where merge-base answers are kept across runs (commit ids never change meaning), or null.</summary>
    private OutcomeCache? _ancestryCache;

    /// <summary>Keeps <see cref="IsAncestor"/> answers in <paramref name="cache"/> from now on.</summary>
    internal void RememberAncestryIn(OutcomeCache cache) => _ancestryCache = cache;

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/>.</summary>
    internal bool IsAncestor(string ancestor, string descendant)
    {
        if (ancestor == descendant)
            return true;
        var key = OutcomeCache.Key("ancestor", ancestor, descendant);
        if (_ancestryCache?.FindValue(key) is { } cached)
            return cached == "1";
        lock (_gate)
        {
            if (_ancestry.TryGetValue((ancestor, descendant), out var known))
                return known;
            var a = _repository.Lookup<Commit>(ancestor);
            var d = _repository.Lookup<Commit>(descendant);
            var result = a is not null && d is not null && _repository.ObjectDatabase.FindMergeBase(a, d)?.Sha == a.Sha;
            _ancestry[(ancestor, descendant)] = result;
            _ancestryCache?.AddValue(key, result ? "1" : "0");
            return result;
        }
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (_checker.IsValueCreated)
            _checker.Value.Dispose();
        if (_reader.IsValueCreated)
            _reader.Value.Dispose();
        _repository.Dispose();
    }
}
