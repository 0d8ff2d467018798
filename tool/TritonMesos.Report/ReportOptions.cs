namespace TritonMesos.Report;

/// <summary>What <see cref="UpstreamReport.GenerateAsync"/> reads and where it writes.</summary>
public sealed record ReportOptions
{
    /// <summary>The triton-mesos repository root (holds patches/, upstream.lock, .work/).</summary>
    public string RootDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>A local upstream clone; default the pipeline cache (<c>.work/cache/upstream.git</c>, then <c>$XDG_CACHE_HOME/triton-mesos/upstream.git</c>).</summary>
    public string? UpstreamPath { get; init; }

    /// <summary>Refs to report on; default every final release tag from 1.0.0 on, plus master.</summary>
    public IReadOnlyList<string>? Refs { get; init; }

    /// <summary>Where report.html, report.md, report.json and submit/ go; default <c>&lt;root&gt;/artifacts/report</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>False to recompute every history look-up and patch outcome (the cache, <c>.work/cache/report</c>, is neither read nor written).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Receives one line per step while the report runs.</summary>
    public IProgress<string>? Progress { get; init; }

    public ReportOptions WithRootDirectory(string root) => this with { RootDirectory = root };
    public ReportOptions WithUpstreamPath(string? path) => this with { UpstreamPath = path };
    public ReportOptions WithRefs(IReadOnlyList<string>? refs) => this with { Refs = refs };
    public ReportOptions WithOutputDirectory(string? path) => this with { OutputDirectory = path };
    public ReportOptions WithUseCache(bool useCache) => this with { UseCache = useCache };
    public ReportOptions WithProgress(IProgress<string>? progress) => this with { Progress = progress };

    private RepositoryLayout Layout => new(RootDirectory);

    internal string Patches => Layout.Patches;
    internal string Lock => Layout.Lock;
    internal string Output => OutputDirectory ?? Layout.Artifact("report");
    internal string? Cache => UseCache ? Layout.ReportCache : null;
}

/// <summary>What a report run produced: the data and the files written (<see cref="SummaryLines"/>: one per patch).</summary>
/// <remarks>When the run copied an earlier run's outputs, <see cref="Data"/> is read back from report.json on first use.</remarks>
public sealed record ReportResult(Lazy<UpstreamReportData> LazyData, string OutputDirectory, IReadOnlyList<string> Files, IReadOnlyList<string> SummaryLines)
{
    /// <summary>The report's data.</summary>
    public UpstreamReportData Data => LazyData.Value;
}
