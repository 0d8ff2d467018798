using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>The pinned upstream: <c>upstream.lock</c> (url, ref, commit).</summary>
public sealed partial record UpstreamLock(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("commit")] string Commit)
{
    /// <summary>The conventional file name at the repository root.</summary>
    public const string FileName = "upstream.lock";

    public UpstreamLock WithRef(string @ref) => this with { Ref = @ref };
    public UpstreamLock WithCommit(string commit) => this with { Commit = commit };

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    /// <summary>Reads and validates a lock file; every problem names the file (and line for JSON errors).</summary>
    public static UpstreamLock Load(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new TritonMesosException("upstream lock not found", path,
                nextStep: $"create {FileName} with \"url\", \"ref\" and \"commit\", or run from the repository root");
        UpstreamLock? lockFile;
        try
        {
            lockFile = JsonSerializer.Deserialize<UpstreamLock>(System.IO.File.ReadAllText(path),
                new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TritonMesosException($"malformed JSON: {e.Message}", path, (int?)(e.LineNumber + 1),
                "fix the JSON syntax; the lock is {\"url\": …, \"ref\": …, \"commit\": <40 hex digits>}", inner: e);
        }
        if (lockFile is null)
            throw new TritonMesosException("the lock is empty (null)", path);
        foreach (var (name, value) in new[] { ("url", lockFile.Url), ("ref", lockFile.Ref), ("commit", lockFile.Commit) })
            if (string.IsNullOrWhiteSpace(value))
                throw new TritonMesosException($"missing or empty \"{name}\"", path, nextStep: "every lock has url, ref and commit");
        if (!CommitPattern().IsMatch(lockFile.Commit))
            throw new TritonMesosException($"\"commit\" must be 40 lower-case hex digits, got '{lockFile.Commit}'", path,
                nextStep: "use the full commit id, e.g. from `git rev-parse <ref>^{commit}`");
        return lockFile;
    }

    /// <summary>Writes the lock in its canonical form (two-space indented, trailing newline).</summary>
    public void Save(string path) =>
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
