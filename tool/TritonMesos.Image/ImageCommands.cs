using System.Collections;
using System.CommandLine;

namespace TritonMesos.Image;

/// <summary>
/// The <c>triton-mesos</c> commands of the Image area (base-image, build-image, mesos-tests, mesos-regression, flags,
/// flag-catalog), each a thin adapter from its options to one of the typed entry points below that the build calls too.
/// </summary>
public sealed class ImageCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands() => [BaseImage(), BuildImage(), MesosTests(), MesosRegression(), Flags(), Catalog()];

    /// <summary>Makes the local base image and prints what it made.</summary>
    public static async Task<BaseImageResult> BaseImageAsync(BaseImageOptions options, CancellationToken ct = default)
    {
        var result = await BaseImageBuilder.CreateAsync(options, line => Console.WriteLine("base-image: " + line), ct);
        Console.WriteLine($"base-image: {result.Tag} {result.ImageId[..Math.Min(19, result.ImageId.Length)]} {result.SizeBytes / 1_000_000} MB in {result.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    /// <summary>Builds the agent image, printing its progress, then its tag, size and labels.</summary>
    public static async Task<AgentImageResult> BuildImageAsync(ImageBuildOptions options, CancellationToken ct = default)
    {
        var result = await AgentImageBuilder.BuildAsync(options, PrintEvent, line => Console.WriteLine("build-image: " + line), ct);
        Console.WriteLine($"build-image: {result.Tag} ({result.ImageId[..Math.Min(19, result.ImageId.Length)]}), " +
                          $"{result.SizeBytes / 1_000_000} MB, built in {result.Elapsed.TotalMinutes:F1} min " +
                          $"({result.Build.BuiltSteps.Count} steps built, {result.Build.CachedSteps.Count} cached)");
        foreach (var (key, value) in result.Metadata.Labels)
            Console.WriteLine($"  label {key}={value}");
        return result;
    }

    /// <summary>Builds and runs the series' Mesos tests, prints every case and the totals; throws when one failed or none ran.</summary>
    public static async Task<MesosTestResult> MesosTestsAsync(MesosTestOptions options, CancellationToken ct = default)
    {
        var result = await MesosTestRunner.RunAsync(options, PrintEvent, line => Console.WriteLine("mesos-tests: " + line), ct);
        foreach (var c in result.Cases)
            Console.WriteLine($"  {(c.Failed ? "FAILED " : c.Skipped ? "skipped" : "passed ")} {c.FullName} ({c.Seconds:F2} s)" +
                              (c.Failure is { } f ? $"{Environment.NewLine}      {f.ReplaceLineEndings(Environment.NewLine + "      ")}" : ""));
        Console.WriteLine($"mesos-tests: {result.Image}, report {result.ReportPath}, build {result.BuildTime.TotalMinutes:F1} min, run {result.RunTime.TotalSeconds:F0} s");
        Console.WriteLine($"{result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped");
        if (result.Failed > 0 || result.ExitCode != 0)
            throw new TritonMesosException($"mesos-tests failed (exit code {result.ExitCode}, {result.Failed} failed)", result.ReportPath,
                exitCode: result.ExitCode == 0 ? 1 : result.ExitCode, nextStep: "read the failures above; the full output is in the report");
        if (result.Passed == 0)
            throw new TritonMesosException($"no Mesos test ran for the filter '{result.Filter}'", result.ReportPath,
                nextStep: "check the --gtest-filter (Fixture.Name patterns, ':'-separated)");
        return result;
    }

    /// <summary>Runs the regression comparison and prints its table; throws on a regression or when nothing was compared.</summary>
    public static async Task<MesosRegressionResult> MesosRegressionAsync(MesosRegressionOptions options, CancellationToken ct = default)
    {
        var result = await MesosRegressionRunner.RunAsync(options, PrintEvent, line => Console.WriteLine("mesos-regression: " + line), ct);
        var comparison = result.Comparison;
        Console.Write(comparison.ToText());
        foreach (var t in result.Timings)
            Console.WriteLine($"mesos-regression: {t.Phase}: {t.Elapsed.TotalMinutes:F1} min");
        Console.WriteLine($"mesos-regression: table in {result.MarkdownPath}");
        if (comparison.HasRegressions)
            throw new TritonMesosException(
                $"{comparison.Regressions.Count} test(s) pass on the baseline and fail patched: {string.Join(", ", comparison.Regressions.Take(10).Select(r => r.FullName))}",
                result.MarkdownPath, nextStep: "each is a bug in the series: fix the patch in .work/mesos, `./build.sh Export`, and rerun");
        if (comparison.PatchedTotal.Passed == 0 && comparison.BaselineTotal.Passed == 0)
            throw new TritonMesosException("no test passed on either build: nothing was compared", result.MarkdownPath,
                nextStep: "read the builds' logs next to their reports in --output");
        return result;
    }

    private static Option<string?> RootOption() =>
        new("--root") { Description = "Repository root (default: the nearest directory up from here with upstream.lock)" };

    private static Option<string?> DockerHostOption() => new("--docker-host") { Description = "Docker engine (default: DOCKER_HOST)" };

    private static Option<string> BaseImageOption() =>
        new("--base-image") { Description = "base image (Debian bookworm)", DefaultValueFactory = _ => BaseImageOptions.DefaultTag };

    private static Option<string?> TreeOption() => new("--mesos-tree") { Description = $"patched Mesos tree (default: {RepositoryLayout.DefaultWorkTree})" };

    /// <summary>The image build options every image command shares: root, tree, base image, engine.</summary>
    private static ImageBuildOptions BuildOptions(ParseResult parse, Option<string?> root, Option<string?> tree, Option<string> baseImage, Option<string?> dockerHost) =>
        new ImageBuildOptions(RepositoryLayout.FromOption(parse.GetValue(root)).Root)
            .WithMesosTree(parse.GetValue(tree) is { } t ? Path.GetFullPath(t) : null)
            .WithBaseImage(parse.GetValue(baseImage)!)
            .WithDockerHost(parse.GetValue(dockerHost));

    /// <summary>An output directory: as given, else <c>artifacts/&lt;name&gt;</c> under the root.</summary>
    private static string Output(ParseResult parse, Option<string?> output, ImageBuildOptions build, string name) =>
        parse.GetValue(output) is { } o ? Path.GetFullPath(o) : new RepositoryLayout(build.RepositoryRoot).Artifact(name);

    private static Command BaseImage()
    {
        var tag = new Option<string>("--tag") { Description = "image tag", DefaultValueFactory = _ => BaseImageOptions.DefaultTag };
        var dockerHost = DockerHostOption();
        var mirror = new Option<string?>("--mirror") { Description = "Debian mirror (default: from /etc/apt/sources.list*)" };
        var command = new Command("base-image", "Make a local Debian bookworm base image (debootstrap + docker import; needs root)")
        {
            tag, dockerHost, mirror,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new BaseImageOptions(parse.GetValue(tag)!).WithDockerHost(parse.GetValue(dockerHost) ?? Environment.GetEnvironmentVariable("DOCKER_HOST"));
            if (parse.GetValue(mirror) is { } m)
                options = options.WithSources(new AptSources(m.TrimEnd('/'), m.TrimEnd('/').Replace("/debian", "/debian-security")));
            await BaseImageAsync(options, ct);
            return 0;
        });
        return command;
    }

    private static Command BuildImage()
    {
        var (root, tree, baseImage, dockerHost) = (RootOption(), TreeOption(), BaseImageOption(), DockerHostOption());
        var noCache = new Option<bool>("--no-cache") { Description = "do not use the layer cache (ccache still applies)" };
        var tag = new Option<string?>("--tag") { Description = "image tag (default: triton-mesos-agent:<mesos-version>-<series-hash>)" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "build context and package cache (default: ~/.cache/triton-mesos/image)" };
        var catalog = new Option<string?>("--catalog") { Description = "flag catalog to ship (default: extracted from the tree)" };
        var target = new Option<string?>("--target") { Description = "Dockerfile stage to stop at (e.g. builder)" };
        var command = new Command("build-image", "Build the Mesos agent image from the patched tree (Dockerfile.slave, BuildKit)")
        {
            root, tree, baseImage, dockerHost, noCache, tag, cacheDir, catalog, target,
        };
        command.SetAction(async (parse, ct) =>
        {
            await BuildImageAsync(BuildOptions(parse, root, tree, baseImage, dockerHost).WithNoCache(parse.GetValue(noCache))
                .WithTag(parse.GetValue(tag)).WithCacheDirectory(parse.GetValue(cacheDir)).WithFlagCatalog(parse.GetValue(catalog))
                .WithTarget(parse.GetValue(target)), ct);
            return 0;
        });
        return command;
    }

    private static Command MesosTests()
    {
        var (root, tree, baseImage, dockerHost) = (RootOption(), TreeOption(), BaseImageOption(), DockerHostOption());
        var tag = new Option<string?>("--tag") { Description = "test image tag (default: triton-mesos-tests:<mesos-version>-<series-hash>)" };
        var filter = new Option<string?>("--gtest-filter") { Description = "googletest filter (default: every test the series adds)" };
        var output = new Option<string?>("--output") { Description = "where mesos-tests.xml goes (default: artifacts/mesos-tests)" };
        var all = new Option<bool>("--all-tests") { Description = "compile every Mesos test file, not only those the series touches" };
        var rootDocker = new Option<bool>("--root-docker")
        {
            Description = "run the series' ROOT_DOCKER tests instead: as root, against the --docker-host engine (a dedicated local one; " +
                          $"it needs the images {string.Join(", ", RootDockerEngine.Images)})",
        };
        var command = new Command("mesos-tests", "Build Mesos' test binary from the patched tree (Dockerfile.slave's mesos-tests stage) and run the series' tests")
        {
            root, tree, baseImage, dockerHost, tag, filter, output, all, rootDocker,
        };
        command.SetAction(async (parse, ct) =>
        {
            var build = BuildOptions(parse, root, tree, baseImage, dockerHost).WithTag(parse.GetValue(tag));
            await MesosTestsAsync(new MesosTestOptions(build, Output(parse, output, build, "mesos-tests")).WithGtestFilter(parse.GetValue(filter))
                .WithAllTests(parse.GetValue(all)).WithRootDocker(parse.GetValue(rootDocker)), ct);
            return 0;
        });
        return command;
    }

    private static Command MesosRegression()
    {
        var (root, tree, baseImage, dockerHost) = (RootOption(), TreeOption(), BaseImageOption(), DockerHostOption());
        var baseline = new Option<string>("--baseline-tree")
        {
            Description = $"baseline Mesos tree: only the {MesosRegressionOptions.BaselineFeature} feature applied (relative to the repository root)",
            DefaultValueFactory = _ => RepositoryLayout.DefaultBaselineTree,
        };
        var output = new Option<string?>("--output")
        {
            Description = $"where each build's reports and logs and {MesosRegressionOptions.MarkdownName} go (default: artifacts/mesos-regression)",
        };
        var rootDocker = new Option<bool>("--root-docker")
        {
            Description = "also run the suites' ROOT_DOCKER tests as root against the --docker-host engine (a dedicated local one; " +
                          $"it needs the images {string.Join(", ", RootDockerEngine.Images)})",
        };
        var suite = new Option<string[]>("--suite")
        {
            Description = $"run only these rows (repeatable): {string.Join(", ", RegressionSuites.All.Select(s => s.Name))}", DefaultValueFactory = _ => [],
        };
        var compareOnly = new Option<bool>("--compare-only") { Description = "build and run nothing: compare the reports already in --output" };
        var command = new Command("mesos-regression",
            $"Build the whole mesos-tests binary of the patched tree and of a {MesosRegressionOptions.BaselineFeature}-only baseline, run the same suites on both, " +
            "and print a per-suite table; exits non-zero when a test passes on the baseline and fails patched")
        {
            root, tree, baseline, baseImage, dockerHost, output, rootDocker, suite, compareOnly,
        };
        command.SetAction(async (parse, ct) =>
        {
            var build = BuildOptions(parse, root, tree, baseImage, dockerHost);
            await MesosRegressionAsync(new MesosRegressionOptions(build, parse.GetValue(baseline)!, Output(parse, output, build, "mesos-regression"))
                .WithRootDocker(parse.GetValue(rootDocker)).WithSuites(parse.GetValue(suite)).WithCompareOnly(parse.GetValue(compareOnly)), ct);
            return 0;
        });
        return command;
    }

    /// <summary>Console form of build progress: step starts, their output with the step's clock, and durations.</summary>
    public static void PrintEvent(BuildEvent e)
    {
        switch (e)
        {
            case StepStarted s: Console.WriteLine($"[{s.Elapsed:hh\\:mm\\:ss}] #{s.Step} {s.Name}"); break;
            case StepOutput o: Console.WriteLine($"           #{o.Step} {o.Elapsed.TotalSeconds,7:F1}s {o.Text}"); break;
            case StepFinished { Cached: true } f: Console.WriteLine($"[{f.Elapsed:hh\\:mm\\:ss}] #{f.Step} cached"); break;
            case StepFinished f: Console.WriteLine($"[{f.Elapsed:hh\\:mm\\:ss}] #{f.Step} done in {f.Duration?.TotalSeconds:F1}s"); break;
            case StepFailed x: Console.WriteLine($"[{x.Elapsed:hh\\:mm\\:ss}] #{x.Step} FAILED: {x.Error}"); break;
        }
    }

    private static Command Flags()
    {
        var profile = new Option<string>("--profile") { Description = "profile name (profiles/<name>.json) or path", Required = true };
        var set = new Option<string[]>("--set") { Description = "override a flag: name=value (repeatable)", DefaultValueFactory = _ => [] };
        var workDir = new Option<string?>("--work-dir") { Description = "the agent's --work_dir" };
        var env = new Option<bool>("--env") { Description = "print MESOS_* environment (docker --env-file format) instead of flags" };
        var catalog = new Option<string?>("--catalog") { Description = $"flag catalog (default: {RepositoryLayout.DefaultFlagCatalog}, else extracted from --tree)" };
        var tree = new Option<string?>("--tree") { Description = $"patched Mesos tree to extract the catalog from (default: {RepositoryLayout.DefaultWorkTree})" };
        var profilesDir = new Option<string>("--profiles-dir") { Description = "where profiles live", DefaultValueFactory = _ => Profile.DirectoryName };
        var command = new Command("flags", "Print the Mesos agent flags of a profile, validated against the patched tree's flags")
        {
            profile, set, workDir, env, catalog, tree, profilesDir,
        };
        command.SetAction((parse, ct) =>
        {
            var (loaded, catalogPath) = LoadCatalog(parse.GetValue(catalog), parse.GetValue(tree));
            var p = Profile.Load(Profile.Resolve(parse.GetValue(profile)!, parse.GetValue(profilesDir)!));
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            var result = new FlagRenderer(loaded, catalogPath).Render(p, parse.GetValue(set) ?? [], environment,
                environmentOverrides: false, parse.GetValue(workDir));
            Console.Write(parse.GetValue(env) ? result.ToEnvironmentText() : result.ToCommandLineText());
            foreach (var missing in result.MissingRequired)
                Console.Error.WriteLine($"note: --{missing} is required and not set (give it at run time: -e {RenderedFlag.EnvironmentName(missing)}=…)");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The catalog given, else .work/flag-catalog.json, else one extracted from the tree (both relative to the current directory).</summary>
    public static (FlagCatalog Catalog, string Path) LoadCatalog(string? catalogPath, string? tree)
    {
        if (catalogPath is not null)
            return (FlagCatalog.Load(catalogPath), catalogPath);
        if (tree is null && File.Exists(RepositoryLayout.DefaultFlagCatalog))
            return (FlagCatalog.Load(RepositoryLayout.DefaultFlagCatalog), RepositoryLayout.DefaultFlagCatalog);
        var source = tree ?? RepositoryLayout.DefaultWorkTree;
        if (!Directory.Exists(source))
            throw new TritonMesosException($"no flag catalog: neither {RepositoryLayout.DefaultFlagCatalog} nor a patched tree at {source}",
                nextStep: "run `./build.sh Patch`, or pass --catalog <flag-catalog.json> or --tree <patched Mesos tree>");
        return (FlagCatalog.Extract(source), source);
    }

    private static Command Catalog()
    {
        var tree = new Option<string>("--tree") { Description = "patched Mesos tree", DefaultValueFactory = _ => RepositoryLayout.DefaultWorkTree };
        var output = new Option<string?>("--output") { Description = $"write here (default: stdout; Patch writes {RepositoryLayout.DefaultFlagCatalog})" };
        var command = new Command("flag-catalog", "Extract the agent and master flags (name, type, default) of a Mesos tree as JSON")
        {
            tree, output,
        };
        command.SetAction((parse, ct) =>
        {
            var catalog = FlagCatalog.Extract(parse.GetValue(tree)!);
            if (parse.GetValue(output) is { } path)
            {
                catalog.Save(path);
                Console.Error.WriteLine($"flag-catalog: {catalog.Agent.Count} agent, {catalog.Master.Count} master flags → {path}");
            }
            else
                Console.WriteLine(catalog.ToJson());
            return Task.FromResult(0);
        });
        return command;
    }
}
