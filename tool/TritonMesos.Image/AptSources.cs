using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>The Debian mirrors this host's apt is configured with (so nothing hard-codes a host): main and security.</summary>
public sealed partial record AptSources(string Mirror, string SecurityMirror)
{
    /// <summary>Reads <c>/etc/apt/sources.list</c> and <c>sources.list.d/*.list|*.sources</c> (one-line and deb822 forms).</summary>
    public static AptSources FromHost(string suite = "bookworm", string root = "/")
    {
        var files = new List<string>();
        var main = Path.Combine(root, "etc/apt/sources.list");
        if (File.Exists(main))
            files.Add(main);
        var dir = Path.Combine(root, "etc/apt/sources.list.d");
        if (Directory.Exists(dir))
            files.AddRange(Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order());
        var entries = files.SelectMany(f => Parse(File.ReadAllText(f))).ToList();
        var mirror = entries.FirstOrDefault(e => e.Suites.Contains(suite) && e.Components.Contains("main"))?.Uri;
        var security = entries.FirstOrDefault(e => e.Suites.Contains(suite + "-security"))?.Uri;
        if (mirror is null)
            throw new TritonMesosException($"no apt source for Debian '{suite}' main in {string.Join(", ", files)}",
                main, nextStep: "pass --mirror http://<debian mirror>/debian");
        return new AptSources(mirror.TrimEnd('/'), (security ?? mirror.Replace("/debian", "/debian-security")).TrimEnd('/'));
    }

    /// <summary>The sources.list for an image of <paramref name="suite"/>: main, updates and security.</summary>
    public string SourcesList(string suite) =>
        $"deb {Mirror} {suite} main\ndeb {Mirror} {suite}-updates main\ndeb {SecurityMirror} {suite}-security main\n";

    private sealed record Entry(string Uri, IReadOnlyList<string> Suites, IReadOnlyList<string> Components);

    [GeneratedRegex(@"^deb\s+(\[[^\]]*\]\s+)?(?<uri>\S+)\s+(?<suite>\S+)\s*(?<comp>.*)$")]
    private static partial Regex OneLine();

    private static IEnumerable<Entry> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        foreach (var l in lines)
            if (OneLine().Match(l.Trim()) is { Success: true } m)
                yield return new Entry(m.Groups["uri"].Value, [m.Groups["suite"].Value], m.Groups["comp"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // deb822 stanzas, separated by blank lines
        foreach (var stanza in text.Replace("\r\n", "\n").Split("\n\n"))
        {
            var fields = stanza.Split('\n').Where(l => !l.TrimStart().StartsWith('#') && l.Contains(':'))
                .Select(l => (Key: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
                .GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            if (fields.TryGetValue("Types", out var types) && types.Split(' ').Contains("deb") && fields.TryGetValue("URIs", out var uris)
                && fields.TryGetValue("Suites", out var suites))
            {
                var components = fields.GetValueOrDefault("Components", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var uri in uris.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    yield return new Entry(uri, suites.Split(' ', StringSplitOptions.RemoveEmptyEntries), components);
            }
        }
    }
}
