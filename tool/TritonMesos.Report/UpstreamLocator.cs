namespace TritonMesos.Report;

/// <summary>Finds the local upstream clone: an explicit path, else the pipeline's cache.</summary>
internal static class UpstreamLocator
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
        var candidates = new RepositoryLayout(rootDirectory).UpstreamCacheCandidates;
        foreach (var candidate in candidates)
            if (Directory.Exists(candidate))
                return candidate;
        throw ReportErrors.NoUpstreamClone(candidates);
    }
}
