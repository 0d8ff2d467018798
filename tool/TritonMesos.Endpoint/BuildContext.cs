using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// A <c>docker build</c> context spooled to a temporary file, so that what is checked is byte for byte what the engine
/// gets. The check reads the Dockerfile: base images (<c>FROM</c>, <c>COPY --from</c>) must come from a configured
/// registry, and <c>ADD &lt;url&gt;</c> is refused (the engine would fetch it from its own host).
/// </summary>
internal sealed partial class BuildContext : IAsyncDisposable
{
    private readonly string _path;

    private BuildContext(string path, long length, bool tooLarge)
    {
        _path = path;
        Length = length;
        TooLarge = tooLarge;
    }

    /// <summary>Bytes in the context as received.</summary>
    public long Length { get; }

    /// <summary>True when the client sent more than the cap (the rest was not read).</summary>
    public bool TooLarge { get; }

    /// <summary>Copies the client's body to a temporary file (at most <paramref name="max"/> bytes).</summary>
    public static async Task<BuildContext> SpoolAsync(Stream body, long max, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "triton-mesos-build-" + Guid.NewGuid().ToString("N"));
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (file.Length + read > max)
                    return new BuildContext(path, file.Length, tooLarge: true);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        return new BuildContext(path, new FileInfo(path).Length, tooLarge: false);
    }

    /// <summary>The spooled bytes, to send.</summary>
    public Stream Open() => new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    /// <summary>The refusal for this context, or null; <paramref name="dockerfile"/> is the path inside it.</summary>
    public TritonError? Check(string dockerfile, IReadOnlyList<string> registries)
    {
        string? text;
        try
        {
            text = ReadDockerfile(dockerfile);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or NotSupportedException)
        {
            return new TritonError(400, "InvalidContent", "build context is not a tar archive (plain or gzip): " + e.Message, "build.context");
        }
        if (text is null)
            return null; // the engine answers "Cannot locate specified Dockerfile"
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, args) in Instructions(text))
        {
            var words = args.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (keyword == "FROM")
            {
                var image = words.FirstOrDefault(w => !w.StartsWith("--", StringComparison.Ordinal)) ?? "";
                if (words.Length >= 3 && words[^2].Equals("AS", StringComparison.OrdinalIgnoreCase))
                    stages.Add(words[^1]);
                if (ImageProblem(image, stages, registries) is { } problem)
                    return problem;
            }
            else if (keyword is "COPY" or "ADD" && words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal)) is { } from
                     && ImageProblem(from["--from=".Length..], stages, registries) is { } problem)
                return problem;
            if (keyword == "ADD" && args.Contains("://", StringComparison.Ordinal))
                return new TritonError(403, "NotAuthorized",
                    "build: ADD from a URL would make the engine fetch it from its own host; put the file in the build context and use COPY", "build.remote-source");
            if (keyword == "ONBUILD")
                return new TritonError(403, "NotAuthorized", "build: ONBUILD is not supported by this endpoint", "build.onbuild");
        }
        return null;
    }

    private static TritonError? ImageProblem(string image, HashSet<string> stages, IReadOnlyList<string> registries)
    {
        if (image.Contains('$'))
            return new TritonError(403, "NotAuthorized", $"build: image \"{image}\" uses a build argument; name the image literally", "build.image-argument");
        if (image.Equals("scratch", StringComparison.OrdinalIgnoreCase) || stages.Contains(image) || int.TryParse(image, out _))
            return null;
        return ImageSources.Check(ImageSources.RegistryOf(image), registries, "build");
    }

    /// <summary>The Dockerfile's text, or null when the context has no such file.</summary>
    private string? ReadDockerfile(string dockerfile)
    {
        var wanted = dockerfile.TrimStart('.', '/');
        using var file = Open();
        var magic = new byte[6];
        var n = file.Read(magic);
        file.Position = 0;
        if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h' || n >= 6 && magic[0] == 0xFD && magic[1] == '7' && magic[2] == 'z')
            throw new NotSupportedException("bzip2 and xz contexts are not read");
        using Stream tar = n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != wanted || entry.DataStream is null)
                continue;
            using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
            return text.ReadToEnd();
        }
        return null;
    }

    /// <summary>Dockerfile instructions: keyword upper-cased and its arguments, continuation lines joined, comments dropped.</summary>
    private static IEnumerable<(string Keyword, string Args)> Instructions(string text)
    {
        var escape = EscapeDirective().Match(text) is { Success: true } m ? m.Groups[1].Value[0] : '\\';
        var current = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (current.Length == 0 && line.TrimStart().StartsWith('#'))
                continue;
            if (line.TrimEnd().EndsWith(escape))
            {
                current.Append(line.TrimEnd()[..^1]).Append(' ');
                continue;
            }
            current.Append(line);
            var instruction = current.ToString().Trim();
            current.Clear();
            if (instruction.Length == 0)
                continue;
            var space = instruction.IndexOfAny([' ', '\t']);
            yield return space < 0 ? (instruction.ToUpperInvariant(), "") : (instruction[..space].ToUpperInvariant(), instruction[(space + 1)..].Trim());
        }
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"^\s*#\s*escape\s*=\s*([\\`])", RegexOptions.IgnoreCase)] private static partial Regex EscapeDirective();
}
