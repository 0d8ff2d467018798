using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace TritonMesos.Image;

/// <summary>What an agent image is made of; becomes its labels and its tag <c>triton-mesos-agent:&lt;version&gt;-&lt;hash&gt;</c>.</summary>
public sealed record ImageMetadata(string MesosVersion, string UpstreamCommit, string SeriesHash, IReadOnlyList<string> Features,
    string ToolVersion)
{
    /// <summary>The repository part of every agent image tag.</summary>
    public const string Repository = "triton-mesos-agent";

    /// <summary>Label namespace of this project.</summary>
    public const string LabelPrefix = "io.triton-mesos.";

    /// <summary>The first 12 hex digits of <see cref="SeriesHash"/>.</summary>
    public string SeriesHashShort => SeriesHash[..Math.Min(12, SeriesHash.Length)];

    /// <summary>The default tag: <c>triton-mesos-agent:1.11.0-0123456789ab</c>.</summary>
    public string Tag => $"{Repository}:{MesosVersion}-{SeriesHashShort}";

    /// <summary>The image labels, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels =>
    [
        new("org.opencontainers.image.title", Repository),
        new("org.opencontainers.image.version", MesosVersion),
        new(LabelPrefix + "mesos-version", MesosVersion),
        new(LabelPrefix + "upstream-commit", UpstreamCommit),
        new(LabelPrefix + "series-hash", SeriesHash),
        new(LabelPrefix + "features", string.Join(',', Features)),
        new(LabelPrefix + "tool-version", ToolVersion),
    ];

    /// <summary>The values the Dockerfile's ARGs take (they feed its LABEL instruction).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BuildArgs =>
    [
        new("MESOS_VERSION", MesosVersion),
        new("UPSTREAM_COMMIT", UpstreamCommit),
        new("SERIES_HASH", SeriesHash),
        new("FEATURES", string.Join(',', Features)),
        new("TOOL_VERSION", ToolVersion),
    ];

    public ImageMetadata WithFeatures(IReadOnlyList<string> features) => this with { Features = features };

    /// <summary>Reads upstream.lock, the patches directory and the tree's configure.ac of a repository checkout.</summary>
    public static ImageMetadata FromRepository(string repositoryRoot, string? mesosTree)
    {
        var layout = new RepositoryLayout(repositoryRoot);
        var upstream = UpstreamLock.Load(layout.Lock);
        var patches = layout.Patches;
        var series = PatchSeries.Load(patches);
        var features = series.LoadPatches().Select(p => p.Feature).OfType<string>().Distinct().ToList();
        var version = mesosTree is not null ? ReadMesosVersion(mesosTree) : null;
        return new ImageMetadata(version ?? "1.11.0", upstream.Commit, HashDirectory(patches), features, ToolVersionOf(typeof(ImageMetadata).Assembly));
    }

    /// <summary>The Mesos version in a tree's configure.ac (<c>AC_INIT([mesos], [1.11.0])</c>), or null.</summary>
    public static string? ReadMesosVersion(string mesosTree)
    {
        var configure = Path.Combine(mesosTree, "configure.ac");
        if (!File.Exists(configure))
            return null;
        var m = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(configure), @"AC_INIT\(\[mesos\],\s*\[(?<v>[^\]]+)\]");
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>
    /// SHA-256 over every file under <paramref name="directory"/> (relative path with '/' separators, then content), in
    /// ordinal path order: any change to a patch, the series or features.json changes it.
    /// </summary>
    public static string HashDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new TritonMesosException("patches directory not found", directory);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                     .Select(f => (Full: f, Relative: Path.GetRelativePath(directory, f).Replace('\\', '/')))
                     .OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file.Relative + "\0"));
            sha.AppendData(File.ReadAllBytes(file.Full));
            sha.AppendData([0]);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The informational version of an assembly without the source-revision suffix.</summary>
    public static string ToolVersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        return version;
    }
}
