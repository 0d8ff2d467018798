using System.Diagnostics;

namespace TritonMesos.Image;

/// <summary>Parameters of <c>triton-mesos mesos-regression</c>: the image build's (its tree is the patched one), the baseline tree and where results go.</summary>
public sealed record MesosRegressionOptions(ImageBuildOptions Build, string BaselineTree, string OutputDirectory)
{
    /// <summary>The only feature the baseline tree has: the fixes that let 1.11.0 build here at all.</summary>
    public static string BaselineFeature => Features.BuildCompat.Id;

    /// <summary>Also run the suites' ROOT_DOCKER tests as root against the engine.</summary>
    public bool RootDocker { get; init; }

    /// <summary>Only these rows of <see cref="RegressionSuites.All"/>; null runs every row.</summary>
    public IReadOnlyList<string>? Suites { get; init; }

    /// <summary>Build and run nothing: compare the reports already in <see cref="OutputDirectory"/>.</summary>
    public bool CompareOnly { get; init; }

    /// <summary>A row's report in its build's directory: <c>&lt;row&gt;.xml</c>, or <c>&lt;row&gt;.root-docker.xml</c> for its ROOT_DOCKER run.</summary>
    public static string ReportName(RegressionSuite row, bool rootDocker) => row.Name + (rootDocker ? ".root-docker.xml" : ".xml");

    /// <summary>The table, in the output directory.</summary>
    public const string MarkdownName = "comparison.md";

    /// <summary>Where one build's reports and log go.</summary>
    public string BuildDirectory(string build) => Path.Combine(Path.GetFullPath(OutputDirectory), build);

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
                              $"`triton-mesos apply --work-dir {RepositoryLayout.DefaultBaselineTree} --features {MesosRegressionOptions.BaselineFeature}` for the baseline");
        // Checked before the builds: a wrong engine should not cost two builds.
        var socket = options.RootDocker ? await RootDockerEngine.CheckAsync(options.Build.DockerCli, options.Build.ResolvedDockerHost, ct) : null;
        var series = SeriesTests.FromPatches(new RepositoryLayout(root).Patches);
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

        // One run per row: googletest writes its XML report only when the binary exits normally, so a crash (a CHECK
        // failure aborts the process) loses one row, whose outcomes then come from the console output.
        foreach (var build in Builds)
        {
            var directory = options.BuildDirectory(build);
            Directory.CreateDirectory(directory);
            foreach (var stale in Directory.EnumerateFiles(directory, "*.xml"))
                File.Delete(stale);
            var started = clock.Elapsed;
            var console = new GtestConsole(suites, build, () => clock.Elapsed);
            foreach (var row in suites)
            {
                foreach (var rootDocker in socket is null ? [false] : new[] { false, true })
                {
                    var filter = RegressionSuites.RunFilter(suites, row, rootDocker);
                    if (filter.Length == 0)
                        continue;
                    var report = MesosRegressionOptions.ReportName(row, rootDocker);
                    var rowConsole = new GtestConsole(suites, build, () => clock.Elapsed);
                    await using var output = new StreamWriter(Path.Combine(directory, Path.ChangeExtension(report, ".log")));
                    var run = await MesosTestRunner.RunBinaryAsync(options.Build, tags[build], filter, directory, report,
                        rootDocker ? socket : null, line =>
                        {
                            output.WriteLine(line);
                            rowConsole.Feed(line);
                            if (console.Feed(line) is { } p)
                                log(p);
                        }, ct, requireReport: false);
                    if (!run.ReportWritten)
                    {
                        MesosTestResult.WriteReport(run.ReportPath, rowConsole.Cases(run.ExitCode));
                        log($"{Now()} {build}: {row.Name}{(rootDocker ? " (ROOT_DOCKER)" : "")}: the binary exited with code {run.ExitCode} " +
                            $"without a report; its outcomes were read from the console ({Path.ChangeExtension(report, ".log")})");
                    }
                }
            }
            var elapsed = clock.Elapsed - started;
            timings.Add(new ComparisonTiming($"run {build}{(socket is null ? "" : " (with ROOT_DOCKER)")}", elapsed));
            log($"{Now()} {build}: {console.Started} tests in {elapsed.TotalMinutes:F1} min, {console.Failed} failed");
        }
    }

    /// <summary>One build's cases: every report in its directory (one per row, and per row's ROOT_DOCKER run), merged.</summary>
    public static IReadOnlyList<MesosTestCase> ReadBuild(string directory)
    {
        var reports = Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.xml").Order(StringComparer.Ordinal).ToList() : [];
        if (reports.Count == 0)
            throw new TritonMesosException("no googletest report for this build", directory,
                nextStep: "run `./build.sh MesosRegression` without --compare-only first (it writes both builds' reports)");
        return MesosTestComparison.Merge([.. reports.Select(MesosTestResult.ReadReport)]);
    }
}
