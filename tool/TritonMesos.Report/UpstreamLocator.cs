namespace TritonMesos.Report;

/// <summary>Finds the local upstream clone: an explicit path, else the pipeline's cache.</summary>
public static class UpstreamLocator
{
    /// <summary>The clone to read; throws with the places searched and how to provide one.</summary>
    public static string Locate(string rootDirectory, string? explicitPath)
    {
        if (explicitPath is not null)
        {
            var path = explicitPath.StartsWith("file://", StringComparison.Ordinal) ? explicitPath[7..] : explicitPath;
            if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("git@", StringComparison.Ordinal))
                throw ReportErrors.RemoteUpstream(explicitPath);
            return Path.GetFullPath(path, rootDirectory);
        }
        foreach (var candidate in Candidates(rootDirectory))
            if (Directory.Exists(candidate))
                return candidate;
        throw ReportErrors.NoUpstreamClone(Candidates(rootDirectory));
    }

    /// <summary>The cache locations, in search order.</summary>
    internal static IEnumerable<string> Candidates(string rootDirectory)
    {
        // Same order as the pipeline: $XDG_CACHE_HOME when set, else the repository's .work/cache.
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
            yield return Path.Combine(xdg, "triton-mesos", "upstream.git");
        yield return Path.Combine(rootDirectory, ".work", "cache", "upstream.git");
    }
}
