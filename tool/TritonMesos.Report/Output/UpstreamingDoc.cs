namespace TritonMesos.Report;

/// <summary>docs/upstreaming.md: the generated report.md followed by a hand-written part that regeneration keeps.</summary>
public static class UpstreamingDoc
{
    /// <summary>The line that ends the generated part; everything after it is kept verbatim.</summary>
    public const string EndMarker = "<!-- end of the generated part: everything below is written by hand and kept by `triton-mesos report --update-docs` -->";

    /// <summary>The conventional path inside the repository.</summary>
    public static string DefaultPath(string root) => Path.Combine(root, "docs", "upstreaming.md");

    /// <summary>Replaces the generated part of <paramref name="path"/> with <paramref name="markdown"/>; returns true when the file changed.</summary>
    public static bool Update(string path, string markdown)
    {
        var old = File.Exists(path) ? File.ReadAllText(path) : null;
        var at = old?.IndexOf(EndMarker, StringComparison.Ordinal) ?? -1;
        var tail = at >= 0 ? old![at..] : EndMarker + "\n";
        var text = markdown.TrimEnd('\n') + "\n\n" + tail;
        if (text == old)
            return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return true;
    }
}
