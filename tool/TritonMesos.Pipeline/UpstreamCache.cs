using System.IO.Compression;
using System.Text;

namespace TritonMesos.Pipeline;

/// <summary>A blob of the upstream tree that the object store lacks (e.g. large tarballs left out of a mirror).</summary>
internal sealed record MissingBlob(string Id, string Path);

/// <summary>
/// The bare repository holding upstream objects, so only the first run needs the network.
/// Local sources are cloned with hardlinks (<c>git clone --local</c>) because <c>git fetch</c> refuses a source whose
/// large blobs are missing; URLs are fetched.
/// </summary>
internal sealed class UpstreamCache(string path)
{
    public string Path { get; } = path;

    private static string PinRef(string commit) => $"refs/triton-mesos/pins/{commit}";

    public async Task<bool> HasCommitAsync(string commit, CancellationToken ct) =>
        Directory.Exists(Path) && await Git.TryResolveCommitAsync(Path, commit, ct) == commit;

    /// <summary>Makes sure the lock's commit is in the cache; contacts <paramref name="url"/> only when it is not.</summary>
    public async Task EnsureCommitAsync(UpstreamLock upstream, string url, string @ref, string lockPath,
        PipelineLocation location, CancellationToken ct)
    {
        using var cacheLock = WorkDirLock.Acquire(Path, "the upstream cache");
        if (await HasCommitAsync(upstream.Commit, ct))
        {
            location.Report($"upstream {@ref} = {Short(upstream.Commit)} is in the cache ({Path}); no fetch needed");
            return;
        }
        foreach (var stale in StaleTemporaries())
            Directory.Delete(stale, recursive: true);

        location.Report($"resolving {@ref} at {url}");
        var (resolvedRef, resolvedCommit) = await ResolveAsync(url, @ref, lockPath, location.RepositoryRoot, ct);
        if (resolvedCommit != upstream.Commit)
            throw new TritonMesosException(
                $"{url} resolves '{@ref}' ({resolvedRef}) to {resolvedCommit}, but upstream.lock pins {upstream.Commit}",
                lockPath, nextStep: "the ref moved upstream: to move the lock on purpose use the Update target; " +
                                    "to build the pinned commit, pass --upstream-url with a mirror that still has it");

        location.Report($"fetching {@ref} ({Short(resolvedCommit)}) from {url} into {Path}");
        var local = Git.IsLocalPath(url, out var localPath);
        if (local && !Directory.Exists(Path))
        {
            await CloneLocalAsync(localPath, ct);
        }
        else
        {
            if (!Directory.Exists(Path))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                await Git.RunAsync(System.IO.Path.GetDirectoryName(Path)!, ["init", "-q", "--bare", Path], ct);
            }
            var fetch = await Git.TryRunAsync(Path, ["fetch", "-q", "--no-tags", url, $"+{resolvedRef}:{resolvedRef}"], ct);
            if (!fetch.Succeeded)
            {
                if (!local)
                    throw Unreachable(url, fetch.Diagnostics, lockPath);
                // A source with missing blobs cannot serve a pack; copy its object store instead.
                location.Report($"git fetch from {localPath} failed ({FirstLine(fetch.Diagnostics)}); cloning it instead");
                await CloneLocalAsync(localPath, ct);
            }
        }
        if (!await HasCommitAsync(upstream.Commit, ct))
            throw new TritonMesosException($"the commit {upstream.Commit} is not in {url} after fetching '{@ref}'", lockPath,
                nextStep: "check the lock's commit and ref, or pass --upstream-url with a clone that has it");
        await Git.RunAsync(Path, ["update-ref", PinRef(upstream.Commit), upstream.Commit], ct);
    }

    /// <summary>Asks the remote which commit <paramref name="ref"/> names (peeling annotated tags).</summary>
    private static async Task<(string Ref, string Commit)> ResolveAsync(string url, string @ref, string lockPath, string cwd,
        CancellationToken ct)
    {
        var result = await Git.TryRunAsync(cwd, ["ls-remote", url, @ref, @ref + "^{}"], ct);
        if (!result.Succeeded)
            throw Unreachable(url, result.Diagnostics, lockPath);
        var refs = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[1], p => p[0]);
        foreach (var candidate in new[] { @ref, $"refs/tags/{@ref}", $"refs/heads/{@ref}" })
            if (refs.TryGetValue(candidate, out var id))
                return (candidate, refs.GetValueOrDefault(candidate + "^{}") ?? id);
        throw new TritonMesosException($"'{@ref}' is neither a tag nor a branch at {url}", lockPath,
            nextStep: "check the lock's \"ref\", or pass --upstream-ref / --upstream-url");
    }

    private async Task CloneLocalAsync(string source, CancellationToken ct)
    {
        var parent = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(parent);
        var temporary = Path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var clone = await Git.TryRunAsync(parent, ["clone", "-q", "--bare", "--local", source, temporary], ct);
            if (!clone.Succeeded)
                throw new TritonMesosException($"cannot clone {source}: {clone.Diagnostics}",
                    nextStep: "check that --upstream-url names a git repository");
            if (Directory.Exists(Path))
            {
                var old = Path + ".tmp-old-" + Guid.NewGuid().ToString("N")[..8];
                Directory.Move(Path, old);
                Directory.Move(temporary, Path);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temporary, Path);
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    private IEnumerable<string> StaleTemporaries()
    {
        var parent = System.IO.Path.GetDirectoryName(Path)!;
        return Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent, System.IO.Path.GetFileName(Path) + ".tmp-*").ToList()
            : [];
    }

    /// <summary>Blobs of <paramref name="commit"/>'s tree that are absent from the cache.</summary>
    public async Task<IReadOnlyList<MissingBlob>> FindMissingBlobsAsync(string commit, CancellationToken ct)
    {
        var tree = await Git.RunAsync(Path, ["ls-tree", "-r", "-z", "--full-tree", commit], ct);
        var blobs = new List<MissingBlob>();
        foreach (var entry in tree.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = entry.IndexOf('\t');
            var fields = entry[..tab].Split(' ');
            if (fields[1] == "blob")
                blobs.Add(new MissingBlob(fields[2], entry[(tab + 1)..]));
        }
        var check = await Git.RunAsync(Path, ["cat-file", "--batch-check=%(objectname)"], ct,
            string.Join('\n', blobs.Select(b => b.Id)) + "\n");
        var missing = check.Split('\n')
            .Where(l => l.EndsWith(" missing", StringComparison.Ordinal))
            .Select(l => l[..^" missing".Length])
            .ToHashSet();
        return blobs.Where(b => missing.Contains(b.Id)).ToList();
    }

    /// <summary>
    /// Writes a loose object under each missing blob's id so checkout and commit work. Its content is a short note,
    /// not the real file (so it does not hash to its id); fine for a build that uses system libraries instead.
    /// </summary>
    public static void WritePlaceholders(string gitDir, IEnumerable<MissingBlob> missing)
    {
        foreach (var blob in missing)
        {
            var text = Encoding.UTF8.GetBytes(
                $"triton-mesos placeholder: {blob.Path} (blob {blob.Id}) was missing from the upstream clone\n");
            var directory = System.IO.Path.Combine(gitDir, "objects", blob.Id[..2]);
            Directory.CreateDirectory(directory);
            var target = System.IO.Path.Combine(directory, blob.Id[2..]);
            if (File.Exists(target))
                continue;
            using var file = File.Create(target);
            using var zlib = new ZLibStream(file, CompressionLevel.Fastest);
            zlib.Write(Encoding.ASCII.GetBytes($"blob {text.Length}\0"));
            zlib.Write(text);
        }
    }

    /// <summary>Key in <see cref="Exception.Data"/> marking "the upstream could not be reached" (verify reports it as not checked).</summary>
    public const string UnreachableKey = "triton-mesos.unreachable";

    private static TritonMesosException Unreachable(string url, string diagnostics, string lockPath)
    {
        var error = new TritonMesosException($"cannot reach upstream {url}: {FirstLine(diagnostics)}", lockPath,
            nextStep: "check the network, or pass --upstream-url <path or URL of a local clone or mirror of Apache Mesos>");
        error.Data[UnreachableKey] = true;
        return error;
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal))
        ?? text.Split('\n').FirstOrDefault() ?? "";

    internal static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;
}
