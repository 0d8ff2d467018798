using System.Diagnostics;

namespace TritonMesos.Image;

/// <summary>Parameters of <c>triton-mesos mesos-regression</c>: the image build's (its tree is the patched one), the baseline tree and where results go.</summary>
public sealed record MesosRegressionOptions(ImageBuildOptions Build, string BaselineTree, string OutputDirectory, bool RootDocker = false,
    IReadOnlyList<string>? Suites = null, bool CompareOnly = false)
{
    /// <summary>The only feature the baseline tree has: the fixes that let 1.11.0 build here at all.</summary>
    public const string BaselineFeature = "build-compat";

    /// <summary>The baseline tree, relative to the repository root, unless given.</summary>
    public const string DefaultBaselineTree = ".work/mesos-baseline";

    /// <summary>The unprivileged run's report, in each build's directory.</summary>
    public const string ReportName = "mesos-tests.xml";

    /// <summary>The ROOT_DOCKER run's report, in each build's directory.</summary>
    public const string RootDockerReportName = "root-docker.xml";

    /// <summary>The table, in the output directory.</summary>
    public const string MarkdownName = "comparison.md";

    /// <summary>Where one build's reports and log go.</summary>
    public string BuildDirectory(string build) => Path.Combine(Path.GetFullPath(OutputDirectory), build);

    public MesosRegressionOptions WithBaselineTree(string tree) => this with { BaselineTree = tree };
    public MesosRegressionOptions WithOutputDirectory(string directory) => this with { OutputDirectory = directory };
    public MesosRegressionOptions WithRootDocker(bool rootDocker) => this with { RootDocker = rootDocker };
    public MesosRegressionOptions WithSuites(IReadOnlyList<string>? suites) => this with { Suites = suites };
    public MesosRegressionOptions WithCompareOnly(bool compareOnly) => this with { CompareOnly = compareOnly };
}

/// <summary>The comparison, the two images, the timed phases and where the markdown table was written.</summary>
public sealed record MesosRegressionResult(MesosTestComparison Comparison, string PatchedImage, string BaselineImage,
    IReadOnlyList<ComparisonTiming> Timings, string MarkdownPath);

/// <summary>
/// The MesosRegression target: builds the whole <c>mesos-tests</c> binary from the patched tree and from the baseline tree
/// (the layer cache and ccache make an unchanged build a reuse), runs <see cref="RegressionSuites.All"/> on both with every
/// flag at its default (unprivileged; with <c>--root-docker</c> also their ROOT_DOCKER tests as root), and compares the
/// googletest reports suite by suite.
/// </summary>
public static class MesosRegressionRunner
{
    /// <summary>The two builds, in the order they are built and run.</summary>
    public static readonly IReadOnlyList<string> Builds = ["patched", "baseline"];

    public static async Task<MesosRegressionResult> RunAsync(MesosRegressionOptions options, Action<BuildEvent>? onEvent, Action<string> log,
        CancellationToken ct = default)
    {
        var suites = RegressionSuites.Select(options.Suites);
        var root = Path.GetFullPath(options.Build.RepositoryRoot);
        var metadata = ImageMetadata.FromRepository(root, null);
        var tags = new Dictionary<string, string>
        {
            ["patched"] = $"{MesosTestOptions.Repository}:{metadata.MesosVersion}-{metadata.SeriesHashShort}-all",
            ["baseline"] = $"{MesosTestOptions.Repository}:{metadata.MesosVersion}-{MesosRegressionOptions.BaselineFeature}-{metadata.SeriesHashShort}-all",
        };
        var timings = new List<ComparisonTiming>();
        if (!options.CompareOnly)
            await BuildAndRunAsync(options, suites, root, tags, timings, onEvent, log, ct);

        var cases = Builds.ToDictionary(b => b, b => ReadBuild(options.BuildDirectory(b)));
        var comparison = MesosTestComparison.Compare(suites, cases["patched"], cases["baseline"]);
        var markdown = Path.Combine(Path.GetFullPath(options.OutputDirectory), MesosRegressionOptions.MarkdownName);
        File.WriteAllText(markdown, comparison.ToMarkdown(tags["patched"], tags["baseline"], timings));
        return new MesosRegressionResult(comparison, tags["patched"], tags["baseline"], timings, markdown);
    }

    private static async Task BuildAndRunAsync(MesosRegressionOptions options, IReadOnlyList<RegressionSuite> suites, string root,
        Dictionary<string, string> tags, List<ComparisonTiming> timings, Action<BuildEvent>? onEvent, Action<string> log, CancellationToken ct)
    {
        var trees = new Dictionary<string, string>
        {
            ["patched"] = Path.GetFullPath(options.Build.ResolvedMesosTree),
            ["baseline"] = Path.GetFullPath(options.BaselineTree, root),
        };
        foreach (var (build, tree) in trees)
            if (!File.Exists(Path.Combine(tree, "configure.ac")))
                throw new TritonMesosException($"the {build} Mesos tree is missing (no configure.ac)", tree,
                    nextStep: "run `./build.sh MesosRegression` (it applies both trees), or `triton-mesos apply` for the patched tree and " +
                              $"`triton-mesos apply --work-dir {MesosRegressionOptions.DefaultBaselineTree} --features {MesosRegressionOptions.BaselineFeature}` for the baseline");
        // Checked before the builds: a wrong engine should not cost two builds.
        var socket = options.RootDocker ? await RootDockerEngine.CheckAsync(options.Build.DockerCli, options.Build.ResolvedDockerHost, ct) : null;
        var series = SeriesTests.FromPatches(Path.Combine(root, "patches"));
        var clock = Stopwatch.StartNew();
        string Now() => $"[{clock.Elapsed:hh\\:mm\\:ss}]";

        foreach (var build in Builds)
        {
            log($"{Now()} {build}: building {tags[build]} from {trees[build]}");
            var image = await MesosTestRunner.BuildImageAsync(options.Build.WithMesosTree(trees[build]).WithTag(tags[build])
                .WithFeatures(build == "baseline" ? [MesosRegressionOptions.BaselineFeature] : null), series, allTests: true, onEvent, log, ct);
            var reused = image.Build.BuiltSteps.Count == 0 ? " (every step cached: reused)" : "";
            timings.Add(new ComparisonTiming($"build {build}{reused}", image.Elapsed));
            log($"{Now()} {build}: built {tags[build]} in {image.Elapsed.TotalMinutes:F1} min{reused}");
        }

        foreach (var build in Builds)
        {
            var directory = options.BuildDirectory(build);
            Directory.CreateDirectory(directory);
            File.Delete(Path.Combine(directory, MesosRegressionOptions.RootDockerReportName));
            var runs = new List<(string Report, string Filter, string? Socket, string What)>
            {
                (MesosRegressionOptions.ReportName, RegressionSuites.Filter(suites), null, "unprivileged"),
            };
            if (socket is not null && RegressionSuites.RootDockerFilter(suites) is { Length: > 0 } rootFilter)
                runs.Add((MesosRegressionOptions.RootDockerReportName, rootFilter, socket, "ROOT_DOCKER as root"));
            foreach (var (report, filter, runSocket, what) in runs)
            {
                log($"{Now()} {build}: running the suites ({what})");
                var progress = new GtestProgress(suites, build, () => clock.Elapsed);
                await using var output = new StreamWriter(Path.Combine(directory, Path.ChangeExtension(report, ".log")));
                var run = await MesosTestRunner.RunBinaryAsync(options.Build, tags[build], filter, directory, report, runSocket, line =>
                {
                    output.WriteLine(line);
                    if (progress.Feed(line) is { } p)
                        log(p);
                }, ct);
                timings.Add(new ComparisonTiming($"run {build} ({what})", run.Elapsed));
                log($"{Now()} {build}: {run.Cases.Count} tests in {run.Elapsed.TotalMinutes:F1} min, {progress.Failed} failed (exit code {run.ExitCode})");
            }
        }
    }

    /// <summary>One build's cases: its unprivileged report and, when present, its ROOT_DOCKER report.</summary>
    public static IReadOnlyList<MesosTestCase> ReadBuild(string directory)
    {
        var report = Path.Combine(directory, MesosRegressionOptions.ReportName);
        if (!File.Exists(report))
            throw new TritonMesosException("no googletest report for this build", report,
                nextStep: "run `./build.sh MesosRegression` without --compare-only first (it writes both builds' reports)");
        var rootDocker = Path.Combine(directory, MesosRegressionOptions.RootDockerReportName);
        return File.Exists(rootDocker)
            ? MesosTestComparison.Merge(MesosTestResult.ReadReport(report), MesosTestResult.ReadReport(rootDocker))
            : MesosTestResult.ReadReport(report);
    }
}
