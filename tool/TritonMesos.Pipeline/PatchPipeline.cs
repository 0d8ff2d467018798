namespace TritonMesos.Pipeline;

/// <summary>
/// The fork pipeline: fetch the locked upstream commit, apply <c>patches/series</c> as one commit per patch into a work
/// tree (all or nothing), export the work tree back to <c>patches/</c>, verify that they agree, and report status.
/// </summary>
public sealed partial class PatchPipeline
{
    /// <summary>A pipeline; it holds no state, every call reads its inputs afresh.</summary>
    public PatchPipeline()
    {
    }

    private static string Relative(PipelineLocation location, string path) => location.Layout.Relative(path);

    private static async Task<IReadOnlyList<string>> UncommittedChangesAsync(string workDir, CancellationToken ct) =>
        (await Git.RunAsync(workDir, ["status", "--porcelain=v1", "--untracked-files=normal"], ct))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .ToList();

    private static string Random() => Guid.NewGuid().ToString("N")[..8];

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
