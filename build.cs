#:project tool/TritonMesos.Build/TritonMesos.Build.csproj
#:project tool/TritonMesos.Pipeline/TritonMesos.Pipeline.csproj
#:project tool/TritonMesos.Image/TritonMesos.Image.csproj
#:project tool/TritonMesos.Report/TritonMesos.Report.csproj
#:property NoWarn=$(NoWarn);CS0649;CS0169;IDE0051
#:property PublishAot=false

// The triton-mesos build: targets and parameters only; every target is a call into the tool library.
// Run it as `./build.sh <Target>`, `dotnet run build.cs -- <Target>` or `nuke <Target>`; `--help` lists everything.
using TritonMesos;
using TritonMesos.Build;
using TritonMesos.Image;
using TritonMesos.Pipeline;
using TritonMesos.Report;

return NukeStyleBuild.Execute<TritonMesosBuild>(args);

sealed class TritonMesosBuild : NukeStyleBuild
{
    const string Solution = "triton-mesos.sln";

    [Parameter("URL or local path of an Apache Mesos git clone to fetch instead of upstream.lock's url (offline use, mirrors)")]
    readonly string? UpstreamUrl;

    [Parameter("Ref to resolve instead of upstream.lock's ref; it must still name the locked commit")]
    readonly string? UpstreamRef;

    [Parameter($"Work tree of the patched Mesos. Default is '{RepositoryLayout.DefaultWorkTree}'")]
    readonly string? WorkDir;

    [Parameter("Apply only the patches of these features (Feature: ids, space- or comma-separated)", Separator = ",")]
    readonly string[]? Features;

    [Parameter("Replace the work tree even if it has uncommitted changes or commits not exported to patches/")]
    readonly bool Force;

    [Parameter("Base image for the agent image build (Dockerfile.slave's BASE_IMAGE)", Name = "BaseImage")]
    readonly string? BaseImageReference;

    [Parameter("Docker engine to build with. Default is $DOCKER_HOST")]
    readonly string? DockerHost;

    [Parameter("Build: without the image layer cache. Report: without the history and outcome caches (neither read nor written)")]
    readonly bool NoCache;

    [Parameter("Tag of the agent image. Default is 'triton-mesos-agent:<mesos-version>-<series-hash>'")]
    readonly string? Tag;

    [Parameter("MesosTests: googletest filter. Default is every test the series adds")]
    readonly string? GtestFilter;

    [Parameter("MesosTests: compile every Mesos test file, not only those the series touches")]
    readonly bool AllTests;

    [Parameter("MesosTests, MesosRegression: run the ROOT_DOCKER tests as root against --docker-host (a dedicated local engine with the test images)")]
    readonly bool RootDocker;

    [Parameter($"MesosRegression: work tree of the baseline (only the build-compat feature applied). Default is '{RepositoryLayout.DefaultBaselineTree}'")]
    readonly string? BaselineDir;

    [Parameter("MesosRegression: run only these rows of the suite list (space- or comma-separated; `triton-mesos mesos-regression --help` lists them)", Separator = ",")]
    readonly string[]? Suites;

    [Parameter("MesosRegression: build and run nothing, compare the reports already in artifacts/mesos-regression")]
    readonly bool CompareOnly;

    [Parameter("Upstream refs the report covers (space- or comma-separated). Default is every release tag from 1.0.0 plus master", Separator = ",")]
    readonly string[]? Refs;

    [Parameter("Output directory of the report. Default is 'artifacts/report'")]
    readonly string? Output;

    [Parameter("Upstream ref to move the fork to (Update)")]
    readonly string? Ref;

    [Parameter("Update: continue after resolving a conflict (NUKE's own --continue resumes a failed build instead)")]
    readonly bool UpdateContinue;

    [Parameter("Update: abort a conflicted update and restore the previous state")]
    readonly bool UpdateAbort;

    [Parameter("Update: drop patches found already upstream (otherwise the update stops and names them)")]
    readonly bool DropMerged;

    RepositoryLayout Layout => new(RootDirectory);

    PipelineLocation Location =>
        new PipelineLocation(RootDirectory)
            .WithProgress(new TextWriterProgress(Console.Out))
            .WithUpstreamUrl(UpstreamUrl is { } url && Directory.Exists(url) ? Path.GetFullPath(url) : UpstreamUrl)
            .WithUpstreamRef(UpstreamRef)
            .WithWorkDir(WorkTree);

    string WorkTree => Layout.Resolve(WorkDir ?? RepositoryLayout.DefaultWorkTree);

    ImageBuildOptions ImageBuild =>
        new ImageBuildOptions(RootDirectory).WithMesosTree(WorkTree).WithBaseImage(BaseImageReference ?? BaseImageOptions.DefaultTag).WithDockerHost(DockerHost);

    Target Restore => _ => _
        .Description("Restores the NuGet packages of the solution (nothing to do when no project file changed since the last restore)")
        .Executes(async () =>
        {
            var restored = await DotNetTasks.RestoreIfChangedAsync(Solution, RootDirectory, TemporaryDirectory);
            ReportSummary(_ => _.AddPair("UpToDate", !restored));
        });

    Target Compile => _ => _
        .Description("Builds the solution, tests included (warnings are errors; nothing to do when no input changed since the last build)")
        .DependsOn(Restore)
        .Executes(async () =>
        {
            var built = await DotNetTasks.BuildIfChangedAsync(Solution, RootDirectory, TemporaryDirectory);
            ReportSummary(_ => _.AddPair("UpToDate", !built));
        });

    Target Test => _ => _
        .Description("Runs every test project (trx in artifacts/test-results); ends with 'N passed, N failed, N skipped'")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            var run = await TestTasks.RunAsync(RootDirectory, TestTasks.FindTestProjects(RootDirectory),
                Layout.Artifact("test-results"), Solution);
            ReportSummary(_ => _.AddPair("Passed", run.Totals.Passed).AddPair("Failed", run.Totals.Failed).AddPair("Skipped", run.Totals.Skipped));
            run.EnsureSucceeded();
        });

    Target Patch => _ => _
        .Description("Fetches the locked Mesos commit, applies patches/series into the work tree, extracts its flag catalog (triton-mesos apply)")
        .Executes(async () =>
        {
            var result = await new PatchPipeline().ApplyAsync(new ApplyOptions(Location).WithFeatures(Features).WithForce(Force));
            var catalog = FlagCatalog.Extract(result.WorkDir);
            catalog.Save(Layout.FlagCatalog);
            ReportSummary(_ => _.AddPair("Patches", result.Applied.Count).AddPair("Head", result.Head[..Math.Min(12, result.Head.Length)])
                .AddPair("UpToDate", result.UpToDate).AddPair("AgentFlags", catalog.Agent.Count));
        });

    Target Export => _ => _
        .Description("Regenerates patches/ from the work tree's commits, byte-for-byte deterministic (triton-mesos export)")
        .Executes(async () =>
        {
            var result = await new PatchPipeline().ExportAsync(new ExportOptions(Location));
            ReportSummary(_ => _.AddPair("Written", result.Written.Count).AddPair("Unchanged", result.Unchanged.Count).AddPair("Removed", result.Removed.Count));
        });

    Target VerifyPatches => _ => _
        .Description("Checks headers, series and that a re-export is byte-identical; fixes in artifacts/fixed-patches (triton-mesos verify)")
        .Executes(async () => (await PipelineCommands.VerifyAsync(new VerifyOptions(Location))).EnsureSucceeded());

    Target BaseImage => _ => _
        .Description("Makes a local Debian base image (debootstrap + docker import) tagged --base-image (triton-mesos base-image)")
        .Executes(() => ImageCommands.BaseImageAsync(new BaseImageOptions(BaseImageReference ?? BaseImageOptions.DefaultTag)
            .WithDockerHost(DockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST"))));

    Target Build => _ => _
        .Description("Builds the Mesos agent image for Triton from the patched tree with Dockerfile.slave (triton-mesos build-image)")
        .DependsOn(Patch)
        .After(BaseImage)
        .Executes(() => ImageCommands.BuildImageAsync(ImageBuild.WithNoCache(NoCache).WithTag(Tag)));

    Target MesosTests => _ => _
        .Description("Builds Mesos' test binary from the patched tree (Dockerfile.slave's mesos-tests stage) and runs the series' tests (triton-mesos mesos-tests)")
        .DependsOn(Patch)
        .After(BaseImage, Build)
        .Executes(() => ImageCommands.MesosTestsAsync(new MesosTestOptions(ImageBuild, Layout.Artifact("mesos-tests"))
            .WithGtestFilter(GtestFilter).WithAllTests(AllTests).WithRootDocker(RootDocker)));

    Target MesosRegression => _ => _
        .Description("Builds the whole mesos-tests binary of the patched tree and of a build-compat-only baseline (--baseline-dir), runs the " +
                     "regression suites on both, prints a per-suite table (artifacts/mesos-regression); fails on a regression (triton-mesos mesos-regression)")
        .DependsOn(Patch)
        .After(BaseImage, Build, MesosTests)
        .Executes(async () =>
        {
            var baseline = Layout.Resolve(BaselineDir ?? RepositoryLayout.DefaultBaselineTree);
            if (!CompareOnly)
                await new PatchPipeline().ApplyAsync(new ApplyOptions(Location.WithWorkDir(baseline))
                    .WithFeatures([MesosRegressionOptions.BaselineFeature]).WithForce(Force));
            await ImageCommands.MesosRegressionAsync(new MesosRegressionOptions(ImageBuild, baseline, Layout.Artifact("mesos-regression"))
                .WithRootDocker(RootDocker).WithSuites(Suites).WithCompareOnly(CompareOnly));
        });

    Target Report => _ => _
        .Description("Writes the upstreaming report to artifacts/report; the full default run also refreshes docs/upstreaming.md (triton-mesos report)")
        .Executes(() => ReportCommands.ReportAsync(new ReportOptions().WithRootDirectory(RootDirectory).WithUpstreamPath(UpstreamUrl)
                .WithRefs(Refs is { Length: > 0 } ? Refs : null).WithOutputDirectory(Output is null ? null : Path.GetFullPath(Output)).WithUseCache(!NoCache),
            updateDocs: Refs is not { Length: > 0 } && Output is null));

    Target Update => _ => _
        .Description("Rebases the series onto --ref; refreshes patches/ and upstream.lock only if every patch applies (triton-mesos update)")
        .Executes(async () =>
        {
            var result = await new PatchPipeline().UpdateAsync(new UpdateOptions(Location).WithRef(Ref).WithDropMerged(DropMerged)
                .WithMode(UpdateOptions.ModeOf(UpdateContinue, UpdateAbort)));
            ReportSummary(_ => _.AddPair("Outcome", result.Outcome));
            if (result.ExitCode != 0)
                throw new TritonMesosException($"the update stopped: {result.Outcome}", nextStep: string.Join("; ", result.NextCommands));
        });

    Target IntegrationTest => _ => _
        .Description("Runs the end-to-end tests (tests/TritonMesos.E2E.Tests) against the image from Build (--tag) on --docker-host")
        .DependsOn(Compile)
        .After(Build)
        .Executes(async () =>
        {
            var environment = new Dictionary<string, string?>();
            if (DockerHost is not null)
                environment["DOCKER_HOST"] = DockerHost;
            if (Tag is not null)
                environment["TRITON_MESOS_AGENT_IMAGE"] = Tag;
            var run = await TestTasks.RunAsync(RootDirectory, ["tests/TritonMesos.E2E.Tests/TritonMesos.E2E.Tests.csproj"],
                Layout.Artifact("e2e-results"), Solution, environment: environment);
            ReportSummary(_ => _.AddPair("Passed", run.Totals.Passed).AddPair("Failed", run.Totals.Failed).AddPair("Skipped", run.Totals.Skipped));
            run.EnsureSucceeded();
        });
}
