using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Diffs;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

/// <summary>A file of a patch's outcome; its texts are read or rebuilt only when asked for.</summary>
internal sealed class CellChange(StoredChange stored, Func<TextFile?> before, Func<TextFile?> after)
{
    private readonly Lazy<TextFile?> _before = new(before);
    private readonly Lazy<TextFile?> _after = new(after);

    /// <summary>The path (the new path for created files).</summary>
    public string Path => stored.Path;

    /// <summary>The input id of the resulting text (its git blob id), "-" when the patch deletes the file.</summary>
    public string AfterId => stored.AfterId;

    /// <summary>The edits, in the coordinates of <see cref="Before"/>.</summary>
    public IReadOnlyList<Replacement> Edits => stored.Edits;

    /// <summary>The end-of-file newline of the result, when the patch sets it.</summary>
    public bool? EndsWithNewline => stored.EndsWithNewline;

    /// <summary>The text the patch read (null when it creates the file).</summary>
    public TextFile? Before => _before.Value;

    /// <summary>The resulting text (null when deleted).</summary>
    public TextFile? After => _after.Value;

    /// <summary>As a <see cref="FileChange"/> (reads or rebuilds both texts).</summary>
    public FileChange ToFileChange() => new(Path, Before, After, Edits, EndsWithNewline);
}

/// <summary>The outcome of a patch on one tree, computed in this run or taken from the outcome cache; <see cref="Key"/> names its inputs.</summary>
internal sealed record CellOutcome(string Key, ApplyResult Result, IReadOnlyList<CellChange> Changes);

// Memo of patch applications by content. Applying a patch depends only on its diff and the texts of the files it reads,
// so an application is computed once per distinct (diff hash, input ids) and reused for every other ref or stacked tree
// with the same inputs, in this run and, through the OutcomeCache, in later runs. An input id is the git blob id of the
// file (a tree-entry look-up, no blob read), the blob id of an overlay text, or "-" when the file is absent. A cached
// outcome keeps the edits of each file, so a later patch that misses the cache gets the text it reads rebuilt from the
// earlier patch's inputs instead of stored.
/// <summary>Memo of patch applications by content: each distinct (diff hash, input ids) is applied once, in this run and later ones.</summary>
internal sealed class ApplicationMemo(OutcomeCache cache)
{
    private readonly ConcurrentDictionary<string, Lazy<CellOutcome>> _applications = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<TextFile, string> _contentIds = new();
    private readonly ConditionalWeakTable<PreparedPatch, string> _diffHashes = new();
    private int _computed;
    private int _cached;
    private int _requested;

    public ApplicationMemo() : this(OutcomeCache.InMemory()) { }

    /// <summary>How many applications were computed.</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>How many applications came from the outcome cache.</summary>
    public int FromCache => Volatile.Read(ref _cached);

    /// <summary>How many applications were requested; those neither computed nor cached were reused within the run.</summary>
    public int Requested => Volatile.Read(ref _requested);

    /// <summary>The key of <paramref name="patch"/> on the tree whose files <paramref name="identify"/> names.</summary>
    public string Key(PreparedPatch patch, Func<string, string> identify) =>
        OutcomeCache.Key([DiffHash(patch), .. patch.Files.Where(f => !f.IsBinary).Select(f => identify(f.Path))]);

    /// <summary><paramref name="patch"/> applied to the tree whose files <paramref name="identify"/> names, <paramref name="read"/> reads and <paramref name="present"/> finds.</summary>
    /// <remarks><paramref name="read"/> must stay valid (give the same texts) after the call: a cached outcome rebuilds its texts through it when asked.</remarks>
    public CellOutcome Apply(PreparedPatch patch, Func<string, string> identify, Func<string, TextFile?> read, Func<string, TextFile?> readBlob,
        Func<string, bool> present)
    {
        Interlocked.Increment(ref _requested);
        var key = Key(patch, identify);
        return _applications.GetOrAdd(key, _ => new Lazy<CellOutcome>(() =>
        {
            if (cache.FindApplication(key) is { } stored)
            {
                Interlocked.Increment(ref _cached);
                return new CellOutcome(key, stored.Result, stored.Changes.Select(c => Rebuilt(c, read)).ToList());
            }
            Interlocked.Increment(ref _computed);
            var application = PatchApplier.Apply(patch, read, readBlob, present);
            var changes = application.Changes.Select(c => new StoredChange(c.Path, ContentId(c.After), c.Edits, c.EndsWithNewline)).ToList();
            // Only an outcome whose texts its edits rebuild exactly is stored (always so, but checked rather than assumed);
            // a cache that is never written (--no-cache) keeps nothing.
            if (cache.Path is not null && application.Changes.All(c => c.After is null || SameText((c.Before ?? TextFile.Empty).Apply(c.Edits, c.EndsWithNewline), c.After)))
                cache.AddApplication(key, new StoredApplication(application.Result, changes));
            return new CellOutcome(key, application.Result,
                application.Changes.Select((c, i) => new CellChange(changes[i], () => c.Before, () => c.After)).ToList());
        })).Value;
    }

    private static CellChange Rebuilt(StoredChange stored, Func<string, TextFile?> read) =>
        new(stored, () => read(stored.Path),
            () => stored.AfterId == "-" ? null : (read(stored.Path) ?? TextFile.Empty).Apply(stored.Edits, stored.EndsWithNewline));

    private static bool SameText(TextFile a, TextFile b) => a.EndsWithNewline == b.EndsWithNewline && a.Lines.SequenceEqual(b.Lines, StringComparer.Ordinal);

    private string DiffHash(PreparedPatch patch) => _diffHashes.GetValue(patch, static p => OutcomeCache.Hash(p.File.Diff));

    /// <summary>The input id of a text that is not a pristine blob: its git blob id, or "-" when the file is absent.</summary>
    public string ContentId(TextFile? text) =>
        text is null ? "-" : _contentIds.GetValue(text, static t =>
        {
            var (id, size) = t.GitBlob();
            // A blob this large reads as absent from git; an overlay text that large must not share its id.
            return size > UpstreamRepository.MaxBlobSize ? "large:" + id : id;
        });
}
