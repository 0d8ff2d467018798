// Compiled into TritonMesos.Core and, as a linked file, into the netstandard2.0 source generator
// (tool/TritonMesos.Generators): only C# and APIs that both accept.
namespace TritonMesos;

/// <summary>The line syntax of <c>patches/series</c> (one file name a line, <c>#</c> starts a comment): the one reader, used by <see cref="PatchSeries"/> and by the source generator.</summary>
internal static class SeriesSyntax
{
    /// <summary>The file name of the series inside the patches directory.</summary>
    public const string FileName = "series";

    /// <summary>The patch file name <paramref name="line"/> lists; empty for a blank or comment-only line.</summary>
    public static string EntryName(string line)
    {
        var hash = line.IndexOf('#');
        return (hash >= 0 ? line.Substring(0, hash) : line).Trim();
    }
}
