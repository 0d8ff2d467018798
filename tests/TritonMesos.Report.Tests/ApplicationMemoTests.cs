using System.Text.Json;
using TritonMesos.Report.Git;

namespace TritonMesos.Report.Tests;

public sealed class ApplicationMemoTests
{
    private static string Json(ApplyResult result) => JsonSerializer.Serialize(result, ReportJson.Indented);

    [Fact]
    public async Task Refs_with_identical_touched_blobs_share_one_application_and_identical_cells()
    {
        using var fixture = new UpstreamFixture();
        // 1.0.0 and 1.1.0 differ only in a.txt: 0002–0005 see the same blobs on both, 0001 does not.
        var data = await UpstreamReport.ComputeAsync(new ReportOptions().WithRootDirectory(fixture.Project)
            .WithUpstreamPath(fixture.Upstream).WithRefs(["1.0.0", "1.1.0"]));
        foreach (var patch in data.Patches.Skip(1))
        {
            Assert.Equal(Json(patch.Cells[0].Cumulative), Json(patch.Cells[1].Cumulative));
            Assert.Equal(Json(patch.Cells[0].Alone), Json(patch.Cells[1].Alone));
        }
        Assert.NotEqual(Json(data.Patches[0].Cells[0].Alone), Json(data.Patches[0].Cells[1].Alone)); // offset 3 vs clean

        var patches = PatchSeries.Load(fixture.Patches).LoadPatches().Select(PreparedPatch.From).ToList();
        using var repository = UpstreamRepository.Open(fixture.Upstream);
        var memo = new ApplicationMemo();
        foreach (var tag in new[] { "1.0.0", "1.1.0" })
            for (var p = 0; p < patches.Count; p++)
                memo.Apply(patches[p], path => repository.BlobId(fixture.Tags[tag], path) ?? "-",
                    path => repository.ReadFile(fixture.Tags[tag], path), repository.ReadBlob, path => repository.IsReadable(fixture.Tags[tag], path));
        Assert.Equal(10, memo.Requested);
        Assert.Equal(6, memo.Computed);
    }

    [Fact]
    public void Memoized_and_shortcut_outcomes_equal_a_plain_application_on_every_ref()
    {
        using var fixture = new UpstreamFixture();
        var patches = PatchSeries.Load(fixture.Patches).LoadPatches().Select(PreparedPatch.From).ToList();
        using var repository = UpstreamRepository.Open(fixture.Upstream);
        var memo = new ApplicationMemo();
        var commits = fixture.Tags.Values.Append(repository.Resolve("master")!.Commit).ToList();
        var statuses = new HashSet<ApplyStatus>();
        foreach (var commit in commits)
            for (var p = 0; p < patches.Count; p++)
            {
                var plain = PatchApplier.Apply(patches[p], path => repository.ReadFile(commit, path), repository.ReadBlob);
                var memoized = memo.Apply(patches[p], path => repository.BlobId(commit, path) ?? "-",
                    path => repository.ReadFile(commit, path), repository.ReadBlob, path => repository.IsReadable(commit, path));
                Assert.Equal(Json(plain.Result), Json(memoized.Result));
                Assert.Equal(plain.Changes.Select(c => (c.Path, c.After?.ToText())), memoized.Changes.Select(c => (c.Path, c.After?.ToText())));
                statuses.Add(plain.Result.Status);
            }
        // The fixture covers the not-applicable shortcut (d.txt deleted on master) and the 3-way merge.
        Assert.Contains(ApplyStatus.NotApplicable, statuses);
        Assert.Contains(ApplyStatus.ThreeWay, statuses);
    }
}
