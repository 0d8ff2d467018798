using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TritonMesos.Pipeline;

/// <summary>
/// What the last apply was made from (a hash of lock, series, patches and features) and what it produced.
/// Lives inside the work tree's git directory, so it moves with the tree when a new one is swapped in.
/// </summary>
internal sealed record ApplyStamp(
    string InputsHash,
    string UpstreamCommit,
    string Head,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string>? Features,
    bool ThreeWay)
{
    private const string FileName = "triton-mesos-stamp.json";
    private const string FormatVersion = "triton-mesos apply v1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(string workDir) => Path.Combine(workDir, ".git", FileName);

    public static ApplyStamp? TryLoad(string workDir)
    {
        try
        {
            return File.Exists(PathIn(workDir)) ? JsonSerializer.Deserialize<ApplyStamp>(File.ReadAllText(PathIn(workDir))) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string workDir) => File.WriteAllText(PathIn(workDir), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>A hash over everything an apply's result depends on.</summary>
    public static string HashInputs(UpstreamLock upstream, string seriesPath, IEnumerable<string> patchPaths,
        IReadOnlyList<string>? features, bool threeWay)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        Add(FormatVersion);
        Add(upstream.Commit);
        Add(threeWay ? "3way" : "strict");
        Add(features is null ? "*" : string.Join(',', features.Order(StringComparer.Ordinal)));
        hash.AppendData(File.ReadAllBytes(seriesPath));
        foreach (var path in patchPaths)
        {
            Add(Path.GetFileName(path));
            var bytes = File.ReadAllBytes(path);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
