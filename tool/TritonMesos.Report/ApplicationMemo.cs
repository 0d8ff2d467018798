using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using TritonMesos.Report.Diffs;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

/// <summary>
/// Per-run memo of patch applications by content. Applying a patch depends only on the patch and the texts of the files
/// it reads, so the application is computed once per distinct (patch, input ids) and reused for every other ref or
/// stacked tree with the same inputs. An input id is the git blob id of the file (a tree-entry look-up, no blob read),
/// the blob id of an overlay text (hashed once per text), or "-" when the file is absent.
/// </summary>
internal sealed class ApplicationMemo
{
    private readonly ConcurrentDictionary<(int Patch, string Inputs), Lazy<PatchApplication>> _applications = new();
    private readonly ConditionalWeakTable<TextFile, string> _contentIds = new();
    private int _computed;
    private int _requested;

    /// <summary>How many applications were computed; every other request reused one.</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>How many applications were requested.</summary>
    public int Requested => Volatile.Read(ref _requested);

    /// <summary>Patch number <paramref name="index"/> applied to the tree whose files <paramref name="identify"/> names, <paramref name="read"/> reads and <paramref name="present"/> finds.</summary>
    public PatchApplication Apply(int index, PreparedPatch patch, Func<string, string> identify, Func<string, TextFile?> read, Func<string, TextFile?> readBlob,
        Func<string, bool> present)
    {
        Interlocked.Increment(ref _requested);
        var inputs = string.Join('\n', patch.Files.Where(f => !f.IsBinary).Select(f => identify(f.Path)));
        return _applications.GetOrAdd((index, inputs), _ => new Lazy<PatchApplication>(() =>
        {
            Interlocked.Increment(ref _computed);
            return PatchApplier.Apply(patch, read, readBlob, present);
        })).Value;
    }

    /// <summary>The input id of a text that is not a pristine blob: its git blob id, or "-" when the file is absent.</summary>
    public string ContentId(TextFile? text) =>
        text is null ? "-" : _contentIds.GetValue(text, static t =>
        {
            var content = Encoding.UTF8.GetBytes(t.ToText());
            var id = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
            // A blob this large reads as absent from git; an overlay text that large must not share its id.
            return content.Length > UpstreamRepository.MaxBlobSize ? "large:" + id : id;
        });
}
