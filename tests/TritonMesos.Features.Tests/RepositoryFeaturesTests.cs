namespace TritonMesos.FeatureTests;

/// <summary>The Features class compiled from this repository's patches/ agrees with what Core's parsers read from the same files.</summary>
public sealed class RepositoryFeaturesTests
{
    [Fact]
    public void Every_declared_feature_and_flag_has_its_typed_member()
    {
        var patches = new RepositoryLayout(GeneratorTests.RepositoryRoot()).Patches;
        var declared = FeatureList.Load(patches).Features;
        var series = PatchSeries.Load(patches).LoadPatches();
        var ids = declared.Select(f => f.Id).Concat(series.Select(p => p.Feature).OfType<string>()).Distinct().ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids, Features.All.Select(f => f.Id));
        foreach (var feature in Features.All)
        {
            var expectedFlags = declared.Where(d => d.Id == feature.Id).SelectMany(d => d.Flags)
                .Concat(series.Where(p => p.Feature == feature.Id).SelectMany(p => p.RuntimeFlags.Select(f => f.ToString())))
                .Select(text => RuntimeFlag.TryParse(text, out _)!)
                .DistinctBy(f => (f.Side, f.Name))
                .ToList();
            Assert.Equal(expectedFlags, feature.Flags);
            Assert.Equal(series.Where(p => p.Feature == feature.Id).Select(p => p.FileName), feature.Patches);
        }
    }

    [Fact]
    public void Code_names_features_and_flags_by_member_not_by_string()
    {
        // These lines only compile while patches/ declares the feature and the flag under these names.
        Assert.Equal("sandbox-mount", Features.SandboxMount.Id);
        Assert.Equal("docker_mount_sandbox", Features.SandboxMount.DockerMountSandbox.Name);
        Assert.Equal(FlagSide.Agent, Features.RemoteDocker.DockerTlsCertPath.Side);
        Assert.Same(Features.BuildCompat, Features.Find("build-compat"));
        Assert.Same(Features.ContainerPid, Features.OwnerOf(FlagSide.Agent, "docker_use_container_pid"));
    }
}
