using System.Net;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>Rows of sdc-docker's own integration tests: affinities, commit, --rm, rmi, links, -P, Triton tags.</summary>
public sealed class FidelityTests(EndpointTarget target) : IClassFixture<EndpointTarget>
{
    [SkippableTheory]
    [InlineData("affinity:container==tm-ep-nothing-like-this*", "(NoAllocatableServersError) problem creating container: No compute resources available: no active containers found matching \"tm-ep-nothing-like-this*\" for affinity \"container==tm-ep-nothing-like-this*\"")]
    [InlineData("affinity:foo==bar2", "(NoAllocatableServersError) problem creating container: No compute resources available: no active containers found matching tag \"foo=bar2\" for affinity \"foo==bar2\"")]
    public async Task Hard_affinity_matching_nothing_is_refused(string env, string prefix)
    {
        target.Require();
        var name = DockerTarget.NewName("affinity");
        using var client = target.CreateClient();
        var e = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.CreateContainerAsync(
            new CreateContainerParameters { Image = target.Image, Name = name, Cmd = ["true"], Env = [env] }));
        Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
        Assert.StartsWith(prefix, e.ResponseBody);
    }

    [SkippableFact]
    public async Task Soft_and_negative_affinities_are_kept_as_the_swarm_label()
    {
        target.Require();
        var name = DockerTarget.NewName("affinity-ok");
        try
        {
            using var client = target.CreateClient();
            await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = target.Image, Name = name, Cmd = ["true"], Env = ["A=1", "affinity:container!=nothing*", "affinity:foo==~bar"],
            });
            var inspect = await client.Containers.InspectContainerAsync(name);
            Assert.Equal("[\"container!=nothing*\",\"foo==~bar\"]", inspect.Config.Labels["com.docker.swarm.affinities"]);
            Assert.DoesNotContain(inspect.Config.Env, e => e.StartsWith("affinity:", StringComparison.Ordinal));
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Commit_carries_no_endpoint_bookkeeping_and_rm_of_a_twice_tagged_image_is_Triton_s_conflict()
    {
        target.Require();
        var name = DockerTarget.NewName("commit");
        var repo = $"tm-ep-commit-{Guid.NewGuid():N}"[..28];
        try
        {
            using var client = target.CreateClient();
            await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = target.Image, Name = name, Cmd = ["true"], HostConfig = new HostConfig { PortBindings = new Dictionary<string, IList<PortBinding>> { ["80/tcp"] = [new PortBinding { HostPort = "80" }] } },
            });
            var committed = await client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters { ContainerID = name, RepositoryName = repo, Tag = "a" });
            var image = JsonNode.Parse((await target.Engine!.DockerAsync("image", "inspect", repo + ":a")).StandardOutput)![0]!;
            Assert.DoesNotContain("triton-mesos-endpoint", image.ToJsonString());
            Assert.DoesNotContain("published-ports", image.ToJsonString());
            await client.Images.TagImageAsync(repo + ":a", new ImageTagParameters { RepositoryName = repo, Tag = "b" });
            var e = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Images.DeleteImageAsync(committed.ID[7..19], new ImageDeleteParameters()));
            Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
            Assert.StartsWith($"conflict: unable to delete {committed.ID[7..19]} (must be forced) - image is referenced in one or more repositories (", e.ResponseBody);
        }
        finally
        {
            await target.RemoveAsync(name);
            await target.Engine!.DockerAsync("rmi", "-f", repo + ":a", repo + ":b");
        }
    }

    [SkippableFact]
    public async Task Run_rm_removes_the_container()
    {
        target.Require();
        var name = DockerTarget.NewName("autorm");
        try
        {
            var run = await target.DockerAsync("/usr/bin/docker", ["run", "--rm", "--name", name, target.Image, "true"]);
            Assert.Equal(0, run.ExitCode);
            for (var i = 0; i < 50 && (await target.Engine!.DockerAsync("container", "inspect", name)).ExitCode == 0; i++)
                await Task.Delay(200);
            Assert.NotEqual(0, (await target.Engine!.DockerAsync("container", "inspect", name)).ExitCode);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Links_and_publish_all_show_in_inspect_and_the_link_route_answers_204()
    {
        target.Require();
        var db = DockerTarget.NewName("db");
        var web = DockerTarget.NewName("web");
        try
        {
            using var client = target.CreateClient();
            await client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = target.Image, Name = db, Cmd = ["true"] });
            await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = target.Image, Name = web, Cmd = ["true"], HostConfig = new HostConfig { Links = [db + ":dbalias"], PublishAllPorts = true },
            });
            var inspect = await client.Containers.InspectContainerAsync(web);
            Assert.Equal([$"/{db}:/{web}/dbalias"], inspect.HostConfig.Links);
            Assert.True(inspect.HostConfig.PublishAllPorts);
            using var http = target.CreateHttp();
            var response = await http.DeleteAsync($"/v1.41/containers/{web}/dbalias?link=1");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        finally
        {
            await target.RemoveAsync(web, db);
        }
    }

    [SkippableTheory]
    [InlineData("triton.cns.disable", "nonbool", "(Validation) invalid label: Triton tag \"triton.cns.disable\" value must be \"true\" or \"false\": \"nonbool\"")]
    [InlineData("triton._test.number", "nonnum", "(Validation) invalid label: Triton tag \"triton._test.number\" value must be a number: \"nonnum\"")]
    [InlineData("triton._test.boolean", "", "(Validation) invalid label: Triton tag \"triton._test.boolean\" value must be \"true\" or \"false\": \"\"")]
    public async Task Typed_triton_tags_are_validated(string key, string value, string prefix)
    {
        target.Require();
        using var client = target.CreateClient();
        var e = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = target.Image, Name = DockerTarget.NewName("tag"), Cmd = ["true"], Labels = new Dictionary<string, string> { [key] = value },
        }));
        Assert.Equal((HttpStatusCode)422, e.StatusCode);
        Assert.StartsWith(prefix, e.ResponseBody);
    }
}
