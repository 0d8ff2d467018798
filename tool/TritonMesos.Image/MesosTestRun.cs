using System.Diagnostics;
using System.Xml.Linq;

namespace TritonMesos.Image;

/// <summary>Parameters of <c>triton-mesos mesos-tests</c>: the image build's, plus the gtest filter and where results go.</summary>
public sealed record MesosTestOptions(ImageBuildOptions Build, string OutputDirectory)
{
    /// <summary>The googletest filter; null is every test the series adds.</summary>
    public string? GtestFilter { get; init; }

    /// <summary>Compile every Mesos test file, not only those the series touches.</summary>
    public bool AllTests { get; init; }

    /// <summary>Run the series' ROOT_DOCKER tests instead, as root against the engine.</summary>
    public bool RootDocker { get; init; }

    /// <summary>The Dockerfile stage with the <c>mesos-tests</c> binary.</summary>
    public const string Stage = "mesos-tests";

    /// <summary>The repository part of the test image's tag.</summary>
    public const string Repository = "triton-mesos-tests";

    public MesosTestOptions WithGtestFilter(string? filter) => this with { GtestFilter = filter };
    public MesosTestOptions WithAllTests(bool all) => this with { AllTests = all };
    public MesosTestOptions WithRootDocker(bool rootDocker) => this with { RootDocker = rootDocker };
}

/// <summary>One test case's outcome in googletest's XML report.</summary>
public sealed record MesosTestCase(string Suite, string Name, string Result, double Seconds, string? Failure)
{
    public string FullName => $"{Suite}.{Name}";
    public bool Failed => Failure is not null;
    public bool Skipped => Result is "skipped" or "suppressed" or "notrun";
}

/// <summary>What a run of Mesos' tests gave: the image, the filter, every case, and the time it took.</summary>
public sealed record MesosTestResult(string Image, string Filter, IReadOnlyList<MesosTestCase> Cases, int ExitCode, TimeSpan BuildTime,
    TimeSpan RunTime, string ReportPath)
{
    public int Passed => Cases.Count(c => !c.Failed && !c.Skipped);
    public int Failed => Cases.Count(c => c.Failed);
    public int Skipped => Cases.Count(c => c.Skipped);

    /// <summary>Writes cases as a googletest 1.8 XML report (what <see cref="ReadReport"/> reads back).</summary>
    public static void WriteReport(string path, IReadOnlyList<MesosTestCase> cases)
    {
        var suites = cases.GroupBy(c => c.Suite).Select(g => new XElement("testsuite",
            new XAttribute("name", g.Key), new XAttribute("tests", g.Count()), new XAttribute("failures", g.Count(c => c.Failed)),
            g.Select(c => new XElement("testcase",
                new XAttribute("name", c.Name), new XAttribute("status", c.Skipped ? "notrun" : "run"),
                new XAttribute("time", c.Seconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)), new XAttribute("classname", c.Suite),
                c.Failure is { } f ? new XElement("failure", new XAttribute("message", f), new XAttribute("type", "")) : null))));
        new XDocument(new XElement("testsuites", new XAttribute("tests", cases.Count), new XAttribute("failures", cases.Count(c => c.Failed)),
            new XAttribute("name", "AllTests"), suites)).Save(path);
    }

    /// <summary>Reads googletest's <c>--gtest_output=xml</c> file (1.8's <c>status="notrun"</c> and newer versions' <c>result</c>/<c>&lt;skipped&gt;</c>).</summary>
    public static IReadOnlyList<MesosTestCase> ReadReport(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new TritonMesosException($"not a googletest XML report: {e.Message}", path, e.LineNumber,
                nextStep: "rerun the tests; googletest writes the report only when the binary exits normally", inner: e);
        }
        return document.Descendants("testcase").Select(c => new MesosTestCase(
            (string?)c.Attribute("classname") ?? "",
            (string?)c.Attribute("name") ?? "",
            c.Element("skipped") is not null ? "skipped"
                : (string?)c.Attribute("result") ?? ((string?)c.Attribute("status") == "notrun" ? "notrun" : "completed"),
            double.TryParse((string?)c.Attribute("time"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0,
            c.Elements("failure").Select(f => (string?)f.Attribute("message") ?? f.Value).FirstOrDefault())).ToList();
    }
}

/// <summary>One run of the test binary: its cases, exit code, duration and report (not written when the binary crashed).</summary>
public sealed record MesosBinaryRun(IReadOnlyList<MesosTestCase> Cases, int ExitCode, TimeSpan Elapsed, string ReportPath, bool ReportWritten = true);

/// <summary>
/// The MesosTests target: builds the <c>mesos-tests</c> stage of Dockerfile.slave (the builder stage plus Mesos' test binary;
/// ccache and the layer cache make it incremental) and runs <c>mesos-tests</c> in it with the series' own tests as the default
/// filter, no network, and googletest's XML report written to the output directory.
/// </summary>
public static class MesosTestRunner
{
    public static async Task<MesosTestResult> RunAsync(MesosTestOptions options, Action<BuildEvent>? onEvent, Action<string> log,
        CancellationToken ct = default)
    {
        var root = Path.GetFullPath(options.Build.RepositoryRoot);
        var layout = new RepositoryLayout(root);
        var series = SeriesTests.FromPatches(layout.Patches);
        var filter = options.GtestFilter ?? (options.RootDocker ? series.RootDockerFilter : series.Filter);
        if (filter.Length == 0)
            throw new TritonMesosException($"the series adds no {(options.RootDocker ? "ROOT_DOCKER " : "")}googletest cases and no --gtest-filter was given",
                layout.Series, nextStep: "pass --gtest-filter '<Fixture>.<Name>:…'");
        // Checked before the build: a wrong engine should not cost a build.
        var socket = options.RootDocker ? await RootDockerEngine.CheckAsync(options.Build.DockerCli, options.Build.ResolvedDockerHost, ct) : null;

        var metadata = ImageMetadata.FromRepository(root, options.Build.ResolvedMesosTree);
        var tag = options.Build.Tag ?? $"{MesosTestOptions.Repository}:{metadata.MesosVersion}-{metadata.SeriesHashShort}";
        var build = await BuildImageAsync(options.Build.WithTag(tag), series, options.AllTests, onEvent, log, ct);
        var run = await RunBinaryAsync(options.Build, tag, filter, options.OutputDirectory, "mesos-tests.xml", socket, log, ct);
        return new MesosTestResult(tag, filter, run.Cases, run.ExitCode, build.Elapsed, run.Elapsed, run.ReportPath);
    }

    /// <summary>
    /// Builds the <c>mesos-tests</c> stage tagged <c>build.Tag</c>. By default only the test files the series touches are
    /// compiled (plus Mesos' test support code): the series' tests need no more, and the whole binary is about 180 large
    /// files. <paramref name="allTests"/> builds all of it.
    /// </summary>
    public static Task<AgentImageResult> BuildImageAsync(ImageBuildOptions build, SeriesTests series, bool allTests, Action<BuildEvent>? onEvent,
        Action<string> log, CancellationToken ct = default)
    {
        var buildOptions = build.WithTarget(MesosTestOptions.Stage);
        if (!allTests && series.TestFiles.Count > 0)
            buildOptions = buildOptions.WithBuildArg("MESOS_TESTS_ONLY", series.TestFilesArgument);
        log(allTests ? "building the whole mesos-tests binary" : $"compiling the test files the series touches: {series.TestFilesArgument}");
        return AgentImageBuilder.BuildAsync(buildOptions, onEvent, log, ct);
    }

    /// <summary>
    /// Runs <c>mesos-tests</c> of image <paramref name="tag"/> with <paramref name="filter"/>, googletest's XML report going to
    /// <paramref name="outputDirectory"/>/<paramref name="reportName"/>; as root against the engine at <paramref name="rootDockerSocket"/> when given.
    /// A run that writes no report (the binary crashed) is an error unless <paramref name="requireReport"/> is false.
    /// </summary>
    public static async Task<MesosBinaryRun> RunBinaryAsync(ImageBuildOptions build, string tag, string filter, string outputDirectory,
        string reportName, string? rootDockerSocket, Action<string> onLine, CancellationToken ct = default, bool requireReport = true)
    {
        var output = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(output);
        var report = Path.Combine(output, reportName);
        File.Delete(report);
        onLine($"docker run {tag} --gtest_filter={filter}");
        var clock = Stopwatch.StartNew();
        // --network none: the series' tests need neither a network nor a Docker daemon (they use a fake docker CLI);
        // libprocess then cannot resolve the container's hostname, so it is given the loopback address. Not root:
        // as root, Mesos' fixtures (SlaveTest among them) try to mount cgroup hierarchies, which a container may not.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(output, (UnixFileMode)0x1FF);
        var exitCode = await DockerCommand.For(build.DockerCli, build.ResolvedDockerHost,
            ["run", "--rm", .. (rootDockerSocket is null ? UnprivilegedArguments() : RootDockerArguments(rootDockerSocket, output)),
                "-e", "LIBPROCESS_IP=127.0.0.1", "-v", $"{output}:/out", tag,
                $"--gtest_filter={filter}", $"--gtest_output=xml:/out/{reportName}", "--gtest_color=no"]).StreamAsync(onLine, ct);
        if (!File.Exists(report) && !requireReport)
            return new MesosBinaryRun([], exitCode, clock.Elapsed, report, ReportWritten: false);
        if (!File.Exists(report))
            throw new TritonMesosException($"mesos-tests exited with code {exitCode} and wrote no report", report, exitCode: exitCode == 0 ? 1 : exitCode,
                nextStep: $"run it by hand: docker run --rm {tag} --gtest_filter='{filter}'");
        return new MesosBinaryRun(MesosTestResult.ReadReport(report), exitCode, clock.Elapsed, report);
    }

    private static string[] UnprivilegedArguments() => ["--network", "none", "--user", "65534:65534", "-e", "HOME=/tmp"];

    // As root with the engine's socket: the agent in the test binary runs `docker run -v <sandbox>:…` on that engine, which
    // resolves the sandbox on the host, so sandboxes live under a host directory mounted at the same path (TMPDIR). The
    // agent reads a container's usage from the host's cgroups through its pid: hence the host's pid namespace and a
    // read-only view of the host's /sys/fs/cgroup (without them ROOT_DOCKER_Usage reads zeros). Custom executors run in
    // containers on the engine's host network and connect back to the agent on 127.0.0.1: hence the host network (the
    // agent still binds to loopback only, LIBPROCESS_IP).
    private static string[] RootDockerArguments(string socket, string output)
    {
        var sandboxes = Path.Combine(output, "sandboxes");
        Directory.CreateDirectory(sandboxes);
        return ["--network", "host", "--user", "0", "--pid", "host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:ro", "-v", $"{socket}:/var/run/docker.sock",
            "-v", $"{sandboxes}:{sandboxes}", "-e", $"TMPDIR={sandboxes}"];
    }
}
