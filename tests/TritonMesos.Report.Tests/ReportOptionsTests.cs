namespace TritonMesos.Report.Tests;

public sealed class ReportInputTests
{
    [Fact]
    public async Task Explicit_refs_are_used_in_order_and_unknown_refs_are_named()
    {
        using var fixture = new UpstreamFixture();
        var options = new ReportOptions().WithRootDirectory(fixture.Project).WithUpstreamPath(fixture.Upstream)
            .WithOutputDirectory(Path.Combine(fixture.Directory, "out")).WithRefs(["1.3.0", "master"]);
        var data = await UpstreamReport.ComputeAsync(options);
        Assert.Equal(["1.3.0", "master"], data.Refs.Select(r => r.Name));

        var error = await Assert.ThrowsAsync<TritonMesosException>(() => UpstreamReport.ComputeAsync(options.WithRefs(["1.3.0", "9.9.9"])));
        Assert.Contains("9.9.9", error.Message);
        Assert.NotNull(error.NextStep);
    }

    [Fact]
    public async Task Missing_upstream_clone_is_a_clear_error()
    {
        using var fixture = new UpstreamFixture(["0001-a-everywhere.patch"]);
        var options = new ReportOptions().WithRootDirectory(fixture.Project).WithUpstreamPath(Path.Combine(fixture.Directory, "nope"));
        var error = await Assert.ThrowsAsync<TritonMesosException>(() => UpstreamReport.ComputeAsync(options));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("--upstream-url", error.NextStep);
        var remote = await Assert.ThrowsAsync<TritonMesosException>(() =>
            UpstreamReport.ComputeAsync(options.WithUpstreamPath("https://github.com/apache/mesos.git")));
        Assert.Contains("remote", remote.Message);
    }

    [Fact]
    public async Task Cumulative_differs_from_alone_when_an_earlier_patch_changes_the_context()
    {
        using var fixture = new UpstreamFixture(["0001-a-everywhere.patch"]);
        // A second patch made on top of 0001 (its context includes "a11 patched") only applies after 0001.
        var extra = File.ReadAllText(Path.Combine(fixture.Patches, "0001-a-everywhere.patch"))
            .Replace("-a11\n+a11 patched\n", "-a11 patched\n+a11 patched twice\n")
            .Replace("Subject: [PATCH] Patched a11.", "Subject: [PATCH] Patched a11 again.");
        extra = System.Text.RegularExpressions.Regex.Replace(extra, @"index [0-9a-f]+\.\.[0-9a-f]+", "index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222");
        File.WriteAllText(Path.Combine(fixture.Patches, "0002-a-again.patch"), extra);
        File.AppendAllText(Path.Combine(fixture.Patches, "series"), "0002-a-again.patch\n");
        var data = await UpstreamReport.ComputeAsync(new ReportOptions().WithRootDirectory(fixture.Project)
            .WithUpstreamPath(fixture.Upstream).WithRefs(["1.2.0"]));
        var cell = data.Patches[1].Cells[0];
        Assert.Equal(ApplyStatus.Clean, cell.Cumulative.Status);
        Assert.Equal(ApplyStatus.Conflict, cell.Alone.Status);
        Assert.Contains("preimage blob", cell.Alone.Conflicts[0].Reason);
    }
}
