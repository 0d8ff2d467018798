using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>The image entrypoint's plan: which program, with which flags and environment.</summary>
public sealed class EntrypointTests : IDisposable
{
    private readonly MiniMesosTree _tree = new();
    private readonly string _home;

    public EntrypointTests()
    {
        _home = Path.Combine(_tree.Root, "home");
        Directory.CreateDirectory(Path.Combine(_home, "profiles"));
        _tree.Catalog().Save(Path.Combine(_home, FlagCatalog.FileName));
        foreach (var p in Directory.EnumerateFiles(Path.Combine(RepositoryProfilesTests.RepositoryRoot(), "profiles"), "*.json"))
            File.Copy(p, Path.Combine(_home, "profiles", Path.GetFileName(p)));
    }

    public void Dispose() => _tree.Dispose();

    private static Dictionary<string, string> Env(params (string, string)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    [Fact]
    public void Agent_runs_mesos_agent_with_the_profile_and_overrides_on_the_command_line()
    {
        var env = Env(("TRITON_MESOS_PROFILE", "triton"), ("MESOS_MASTER", "127.0.0.1:5050"), ("TRITON_DOCKER_HOST", "tcp://127.0.0.1:2376"),
            ("MESOS_DOCKER_REMOVE_DELAY", "1mins"), ("PATH", "/usr/bin"));
        var plan = AgentEntrypoint.Plan(["agent", "--port=5052", "--no-hostname_lookup"], env, _home);
        Assert.Equal(AgentEntrypoint.AgentBinary, plan.Program);
        Assert.Contains("--docker_remove_delay=1mins", plan.Arguments);
        Assert.Contains("--master=127.0.0.1:5050", plan.Arguments);
        Assert.Contains("--port=5052", plan.Arguments);
        Assert.Contains("--no-hostname_lookup", plan.Arguments);
        Assert.Single(plan.Arguments, a => a.Contains("hostname_lookup", StringComparison.Ordinal));
        Assert.Contains("--no-docker_mount_sandbox", plan.Arguments);
        // Flags travel on the command line only; executors must not inherit MESOS_* from the agent's environment.
        Assert.DoesNotContain(plan.Environment.Keys, k => k.StartsWith("MESOS_", StringComparison.Ordinal));
        Assert.Equal("/usr/bin", plan.Environment["PATH"]);
    }

    [Fact]
    public void No_arguments_means_agent_with_the_default_profile()
    {
        var plan = AgentEntrypoint.Plan([], Env(("MESOS_MASTER", "m:5050"), ("TRITON_DOCKER_HOST", "tcp://h:2376")), _home);
        Assert.Contains("--containerizers=docker", plan.Arguments);
    }

    [Fact]
    public void A_typo_in_the_environment_stops_the_agent_before_it_starts()
    {
        var e = Assert.Throws<TritonMesosException>(() =>
            AgentEntrypoint.Plan(["agent"], Env(("TRITON_MESOS_PROFILE", "upstream"), ("MESOS_MASTER", "m"), ("MESOS_EXCLUSIVE_PORT", "false")), _home));
        Assert.Contains("exclusive_port", e.Message);
        Assert.Equal("did you mean 'exclusive_ports'?", e.NextStep);
    }

    [Fact]
    public void Help_goes_straight_to_mesos_agent()
    {
        var plan = AgentEntrypoint.Plan(["agent", "--help"], Env(), _home);
        Assert.Equal(AgentEntrypoint.AgentBinary, plan.Program);
        Assert.Equal(["--help"], plan.Arguments);
    }

    [Fact]
    public void Flags_mode_prints_the_rendered_flags_or_environment()
    {
        var env = Env(("TRITON_MESOS_PROFILE", "upstream"));
        Assert.Equal("--work_dir=/var/lib/mesos\n", AgentEntrypoint.Plan(["flags"], env, _home).PrintOnly);
        Assert.Equal("MESOS_WORK_DIR=/var/lib/mesos\n", AgentEntrypoint.Plan(["flags", "--env"], env, _home).PrintOnly);
    }

    [Fact]
    public void Other_commands_run_as_given()
    {
        var plan = AgentEntrypoint.Plan(["mesos-master", "--registry=in_memory"], Env(("MESOS_WORK_DIR", "/w")), _home);
        Assert.Equal("mesos-master", plan.Program);
        Assert.Equal(["--registry=in_memory"], plan.Arguments);
        Assert.Equal("/w", plan.Environment["MESOS_WORK_DIR"]);
    }

    [Fact]
    public void Command_line_overrides_must_be_flags()
    {
        Assert.Equal("a=b", AgentEntrypoint.ToSet("--a=b"));
        Assert.Equal("a=true", AgentEntrypoint.ToSet("--a"));
        Assert.Equal("a=false", AgentEntrypoint.ToSet("--no-a"));
        Assert.Throws<TritonMesosException>(() => AgentEntrypoint.ToSet("a"));
    }

    [Fact]
    public void Master_runs_mesos_master_with_the_master_profile()
    {
        var env = Env(("TRITON_MESOS_ZK", "zk://127.0.0.1:2181/mesos"), ("TRITON_MESOS_QUORUM", "1"), ("TRITON_MESOS_MASTERS", "1"));
        var plan = AgentEntrypoint.Plan(["master", "--hostname_lookup"], env, _home);
        Assert.Equal(AgentEntrypoint.MasterBinary, plan.Program);
        Assert.Equal(["--work_dir=/var/lib/mesos", "--zk=zk://127.0.0.1:2181/mesos", "--quorum=1", "--registry=replicated_log", "--hostname_lookup"],
            plan.Arguments);
    }

    [Fact]
    public void Master_with_a_bad_zookeeper_url_stops_before_mesos_master_starts()
    {
        var e = Assert.Throws<TritonMesosException>(() =>
            AgentEntrypoint.Plan(["master"], Env(("TRITON_MESOS_ZK", "zk://127.0.0.1/mesos"), ("TRITON_MESOS_QUORUM", "1")), _home));
        Assert.Contains("flag 'zk' = 'zk://127.0.0.1/mesos': server '127.0.0.1' has no port", e.Message);
        Assert.EndsWith("master.json", e.File);
    }

    [Fact]
    public void A_profile_for_the_other_program_is_refused()
    {
        var e = Assert.Throws<TritonMesosException>(() => AgentEntrypoint.Plan(["master"], Env(("TRITON_MESOS_MASTER_PROFILE", "triton")), _home));
        Assert.Contains("profile 'triton' is an agent profile, but the entrypoint was asked for the master", e.Message);
        e = Assert.Throws<TritonMesosException>(() => AgentEntrypoint.Plan(["agent"], Env(("TRITON_MESOS_PROFILE", "master")), _home));
        Assert.Contains("profile 'master' is a master profile, but the entrypoint was asked for the agent", e.Message);
    }

    [Fact]
    public void Flags_master_prints_the_master_flags()
    {
        var env = Env(("TRITON_MESOS_ZK", "zk://127.0.0.1:2181/mesos"), ("TRITON_MESOS_QUORUM", "1"));
        Assert.Contains("MESOS_ZK=zk://127.0.0.1:2181/mesos\n", AgentEntrypoint.Plan(["flags", "master", "--env"], env, _home).PrintOnly);
    }
}
