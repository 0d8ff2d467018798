namespace TritonMesos;

/// <summary>One line of <c>patches/series</c>: a patch file name and where it was written.</summary>
public sealed record SeriesEntry(string FileName, int Line);

/// <summary>The ordered patch list in <c>patches/series</c> (one file name per line, <c>#</c> comments allowed).</summary>
public sealed record PatchSeries(string Directory, IReadOnlyList<SeriesEntry> Entries)
{
    /// <summary>The file name of the series inside the patches directory.</summary>
    public const string FileName = SeriesSyntax.FileName;

    /// <summary>Full path of the series file.</summary>
    public string SeriesPath => Path.Combine(Directory, FileName);

    /// <summary>Reads the series; a missing patch file is an error naming the series line.</summary>
    public static PatchSeries Load(string patchesDirectory, bool requireFiles = true)
    {
        var seriesPath = Path.Combine(patchesDirectory, FileName);
        if (!File.Exists(seriesPath))
            throw new TritonMesosException("series file not found", seriesPath,
                nextStep: "create patches/series listing the patch files in order, one per line");
        var entries = new List<SeriesEntry>();
        var lines = File.ReadAllLines(seriesPath);
        for (var i = 0; i < lines.Length; i++)
        {
            var name = SeriesSyntax.EntryName(lines[i]);
            if (name.Length == 0)
                continue;
            if (name.Contains('/') || name.Contains('\\'))
                throw new TritonMesosException($"series entry '{name}' must be a plain file name inside patches/", seriesPath, i + 1);
            if (entries.Any(e => e.FileName == name))
                throw new TritonMesosException($"'{name}' is listed twice", seriesPath, i + 1, "remove the duplicate line");
            if (requireFiles && !File.Exists(Path.Combine(patchesDirectory, name)))
                throw new TritonMesosException($"series entry '{name}' has no file in {patchesDirectory}", seriesPath, i + 1,
                    "restore the patch file or remove the line from the series");
            entries.Add(new SeriesEntry(name, i + 1));
        }
        return new PatchSeries(patchesDirectory, entries);
    }

    /// <summary>Loads every patch in series order.</summary>
    public IReadOnlyList<PatchFile> LoadPatches() =>
        Entries.Select(e => PatchFile.Load(Path.Combine(Directory, e.FileName))).ToList();

    /// <summary>Patch files present in the directory but missing from the series.</summary>
    public IReadOnlyList<string> UnlistedPatchFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.patch")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => Entries.All(e => e.FileName != f))
            .Order(StringComparer.Ordinal)
            .ToList();
}
