using System.Security.Cryptography;
using System.Text;

namespace TritonMesos.Build;

/// <summary>
/// A digest of a step's inputs: the relative path, size and last write time of each input file, plus anything else that
/// changes the result (configuration, runtime). Saved to a stamp file after the step succeeded; the same digest next
/// time means the step has nothing to do.
/// </summary>
public sealed record InputStamp(string Digest, int FileCount)
{
    /// <summary>Directories never read as inputs: build outputs, work trees, caches, version control.</summary>
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal) { "bin", "obj", ".git", RepositoryLayout.WorkName, RepositoryLayout.ArtifactsName, ".nuke", "TestResults", "node_modules" };

    /// <summary>The stamp of every file under <paramref name="directories"/> (relative to <paramref name="root"/>) and of <paramref name="rootFiles"/> that exist, plus <paramref name="extra"/>.</summary>
    public static InputStamp Of(string root, IEnumerable<string> directories, IEnumerable<string> rootFiles, params string[] extra)
    {
        var files = directories.Select(d => Path.Combine(root, d)).Where(Directory.Exists).SelectMany(Walk)
            .Concat(rootFiles.Select(f => Path.Combine(root, f)).Where(File.Exists))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        foreach (var value in extra)
            text.Append(value).Append('\n');
        foreach (var file in files)
        {
            var info = new FileInfo(Path.Combine(root, file));
            text.Append(file).Append('\0').Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return new InputStamp(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), files.Count);
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
            yield return file;
        foreach (var sub in Directory.EnumerateDirectories(directory).Where(d => !Excluded.Contains(Path.GetFileName(d))))
            foreach (var file in Walk(sub))
                yield return file;
    }

    /// <summary>True when <paramref name="stampFile"/> holds this digest.</summary>
    public bool IsRecordedIn(string stampFile)
    {
        try
        {
            return File.Exists(stampFile) && File.ReadAllText(stampFile).Trim() == Digest;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Writes this digest to <paramref name="stampFile"/>.</summary>
    public void RecordIn(string stampFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stampFile))!);
        File.WriteAllText(stampFile, Digest + "\n");
    }
}
