namespace TritonMesos.Pipeline;

/// <summary>Everything an apply is made from: the lock, the series, the selected patches, and their hash.</summary>
internal sealed record SeriesInputs(
    UpstreamLock Upstream,
    PatchSeries Series,
    IReadOnlyList<PatchFile> AllPatches,
    IReadOnlyList<PatchFile> Selected,
    IReadOnlyList<string>? Features,
    IReadOnlyList<string> Warnings,
    string Hash)
{
    /// <summary>Loads and validates lock, series and patches; selects the patches of <paramref name="features"/>.</summary>
    public static SeriesInputs Load(PipelineLocation location, IReadOnlyList<string>? features, bool threeWay)
    {
        var upstream = UpstreamLock.Load(location.LockPath);
        var series = PatchSeries.Load(location.PatchesDir);
        var patches = series.LoadPatches();
        var problems = patches.SelectMany(p => p.ValidateHeaders()).ToList();
        if (problems.Count > 0)
            throw new TritonMesosException(
                problems.Count == 1 ? problems[0].Message
                    : $"{problems.Count} header problems:{Environment.NewLine}" +
                      string.Join(Environment.NewLine, problems.Select(p => "  " + p.Render())),
                problems[0].File, problems[0].Line,
                problems[0].NextStep ?? "fix the trailer block (last paragraph of the commit message) of the patch");

        IReadOnlyList<string>? normalized = null;
        if (features is not null)
        {
            var known = patches.Select(p => p.Feature).OfType<string>()
                .Concat(FeatureList.Load(location.PatchesDir).Features.Select(f => f.Id))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            normalized = features.Select(f => f.Trim()).Where(f => f.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
            var unknown = normalized.Where(f => !known.Contains(f)).ToList();
            if (unknown.Count > 0)
                throw new TritonMesosException(
                    $"unknown feature{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                    $"known features: {string.Join(", ", known)}", series.SeriesPath,
                    nextStep: "pass --features with ids from the patches' `Feature:` headers");
        }
        var selected = normalized is null ? patches : patches.Where(p => normalized.Contains(p.Feature!)).ToList();
        var warnings = series.UnlistedPatchFiles()
            .Select(f => $"patches/{f} is not listed in patches/series and is not applied").ToList();
        var hash = ApplyStamp.HashInputs(upstream, series.SeriesPath, selected.Select(p => p.Path), normalized, threeWay);
        return new SeriesInputs(upstream, series, patches, selected, normalized, warnings, hash);
    }
}
