#:project tool/TritonMesos.Build/TritonMesos.Build.csproj
#:project tool/TritonMesos.Pipeline/TritonMesos.Pipeline.csproj
#:property NoWarn=$(NoWarn);CS0649;CS0169;IDE0051
#:property PublishAot=false

// The triton-mesos build: targets and parameters only; every target is a call into the tool library.
// Run it as `./build.sh <Target>`, `dotnet run build.cs -- <Target>` or `nuke <Target>`; `--help` lists everything.
using TritonMesos.Build;
using TritonMesos.Pipeline;

return NukeStyleBuild.Execute<TritonMesosBuild>(args);

sealed class TritonMesosBuild : NukeStyleBuild
{
    const string Solution = "triton-mesos.sln";

    [Parameter("URL or local path of an Apache Mesos git clone to fetch instead of upstream.lock's url (offline use, mirrors)")]
    readonly string? UpstreamUrl;

    [Parameter("Ref to resolve instead of upstream.lock's ref; it must still name the locked commit")]
    readonly string? UpstreamRef;

    [Parameter("Work tree of the patched Mesos. Default is '.work/mesos'")]
    readonly string? WorkDir;

    [Parameter("Apply only the patches of these features (Feature: ids, space- or comma-separated)", Separator = ",")]
    readonly string[]? Features;

    [Parameter("Replace the work tree even if it has uncommitted changes or commits not exported to patches/")]
    readonly bool Force;

    [Parameter("Base image for the agent image build (Dockerfile.slave's BASE_IMAGE)", Name = "BaseImage")]
    readonly string? BaseImageReference;

    [Parameter("Docker engine to build with. Default is $DOCKER_HOST")]
    readonly string? DockerHost;

    [Parameter("Build the image without the layer cache")]
    readonly bool NoCache;

    [Parameter("Tag of the agent image. Default is 'triton-mesos-agent:<mesos-version>-<series-hash>'")]
    readonly string? Tag;

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

    string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    PipelineLocation Location =>
        new PipelineLocation(RootDirectory)
            .WithProgress(new TextWriterProgress(Console.Out))
            .WithUpstreamUrl(UpstreamUrl is { } url && Directory.Exists(url) ? Path.GetFullPath(url) : UpstreamUrl)
            .WithUpstreamRef(UpstreamRef)
            .WithWorkDir(WorkDir is { } dir ? Path.GetFullPath(dir) : PipelineLocation.DefaultWorkDir);

    Target Restore => _ => _
        .Description("Restores the NuGet packages of the solution")
        .Executes(() => DotNetTasks.RestoreAsync(Solution, RootDirectory));

    Target Compile => _ => _
        .Description("Builds the solution (warnings are errors)")
        .DependsOn(Restore)
        .Executes(() => DotNetTasks.BuildAsync(Solution, RootDirectory));

    Target Test => _ => _
        .Description("Runs every test project; ends with 'N passed, N failed, N skipped' (trx files in artifacts/test-results)")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            var run = await TestTasks.RunAsync(RootDirectory, TestTasks.FindTestProjects(RootDirectory),
                Path.Combine(ArtifactsDirectory, "test-results"), Solution);
            ReportSummary(_ => _.AddPair("Passed", run.Totals.Passed).AddPair("Failed", run.Totals.Failed).AddPair("Skipped", run.Totals.Skipped));
            run.EnsureSucceeded();
        });

    Target Patch => _ => _
        .Description("Fetches the locked Mesos commit and applies patches/series into the work tree (triton-mesos apply)")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            var result = await new PatchPipeline().ApplyAsync(new ApplyOptions(Location).WithFeatures(Features).WithForce(Force));
            ReportSummary(_ => _.AddPair("Patches", result.Applied.Count).AddPair("Head", result.Head[..Math.Min(12, result.Head.Length)])
                .AddPair("UpToDate", result.UpToDate));
        });

    Target Export => _ => _
        .Description("Regenerates patches/ from the work tree's commits, byte-for-byte deterministic (triton-mesos export)")
        .Executes(async () =>
        {
            var result = await new PatchPipeline().ExportAsync(new ExportOptions(Location));
            ReportSummary(_ => _.AddPair("Written", result.Written.Count).AddPair("Unchanged", result.Unchanged.Count).AddPair("Removed", result.Removed.Count));
        });

    Target VerifyPatches => _ => _
        .Description("Checks headers and series, and that a re-export is byte-identical; fixes go to artifacts/fixed-patches (triton-mesos verify)")
        .Executes(() => ToolCommands.InvokeAsync([new PipelineCommands()],
            "verify", "--root", RootDirectory, "--upstream-url", UpstreamUrl, "--upstream-ref", UpstreamRef));

    Target BaseImage => _ => _
        .Description("Makes a local Debian base image with debootstrap and docker import (triton-mesos base-image)")
        .Executes(() => NotAvailableYet("BaseImage", "tool/TritonMesos.Image", 5));

    Target Build => _ => _
        .Description("Builds the Mesos agent image for Triton from the patched tree (Dockerfile.slave)")
        .DependsOn(Patch)
        .Executes(() => NotAvailableYet("Build", "tool/TritonMesos.Image", 5));

    Target Report => _ => _
        .Description("Writes the upstreaming report (patch x upstream ref) to artifacts/report (triton-mesos report)")
        .Executes(() => NotAvailableYet("Report", "tool/TritonMesos.Report", 7));

    Target Update => _ => _
        .Description("Rebases the series onto --ref and moves upstream.lock when every patch applies (triton-mesos update)")
        .Executes(() => NotAvailableYet("Update", "tool/TritonMesos.Report", 7));

    Target IntegrationTest => _ => _
        .Description("Runs the end-to-end tests (tests/TritonMesos.E2E.Tests): master, patched agent, Triton endpoint")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            var run = await TestTasks.RunAsync(RootDirectory, ["tests/TritonMesos.E2E.Tests/TritonMesos.E2E.Tests.csproj"],
                Path.Combine(ArtifactsDirectory, "e2e-results"), Solution);
            ReportSummary(_ => _.AddPair("Passed", run.Totals.Passed).AddPair("Failed", run.Totals.Failed).AddPair("Skipped", run.Totals.Skipped));
            run.EnsureSucceeded();
        });

    static void NotAvailableYet(string target, string library, int issue) =>
        throw new BuildException($"{target} is not wired yet: {library} has no API for it yet (issue {issue})");
}
