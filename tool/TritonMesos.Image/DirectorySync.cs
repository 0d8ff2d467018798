namespace TritonMesos.Image;

/// <summary>
/// Mirrors a directory tree into a build context, skipping <c>.git</c>; unchanged files (same size and time) are left alone
/// so the context stays cheap to re-stage.
/// </summary>
internal static class DirectorySync
{
    public static (int Copied, int Deleted) Mirror(string source, string destination, IReadOnlySet<string>? skipNames = null)
    {
        var skip = skipNames ?? new HashSet<string>(StringComparer.Ordinal) { ".git" };
        var copied = 0;
        var deleted = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Directory.CreateDirectory(destination);
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            var from = Path.Combine(source, relative);
            var to = Path.Combine(destination, relative);
            Directory.CreateDirectory(to);
            seen.Add(relative);
            foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
            {
                if (skip.Contains(entry.Name))
                    continue;
                var childRelative = Path.Combine(relative, entry.Name);
                seen.Add(childRelative);
                var target = Path.Combine(destination, childRelative);
                if (entry.LinkTarget is { } link)
                {
                    if (new FileInfo(target).LinkTarget != link)
                    {
                        if (File.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
                        else if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                        File.CreateSymbolicLink(target, link);
                        copied++;
                    }
                }
                else if (entry is DirectoryInfo)
                    pending.Push(childRelative);
                else if (entry is FileInfo file)
                {
                    var existing = new FileInfo(target);
                    if (!existing.Exists || existing.Length != file.Length || existing.LastWriteTimeUtc != file.LastWriteTimeUtc)
                    {
                        file.CopyTo(target, overwrite: true);
                        File.SetLastWriteTimeUtc(target, file.LastWriteTimeUtc);
                        if (!OperatingSystem.IsWindows())
                            File.SetUnixFileMode(target, file.UnixFileMode);
                        copied++;
                    }
                }
            }
        }
        foreach (var path in Directory.EnumerateFileSystemEntries(destination, "*", SearchOption.AllDirectories)
                     .OrderByDescending(p => p.Length).ToList())
        {
            var relative = Path.GetRelativePath(destination, path);
            if (seen.Contains(relative))
                continue;
            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
            else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
            deleted++;
        }
        return (copied, deleted);
    }
}
