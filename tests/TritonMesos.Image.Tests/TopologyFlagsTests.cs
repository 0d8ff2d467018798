using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>
/// The flags of an HA topology: <c>--domain</c> rendered from a profile's region and zone, the master's <c>--zk</c>,
/// <c>--quorum</c> and <c>--registry</c>, and an agent's <c>--master</c>: each rendered, and each refused before Mesos starts
/// when missing or malformed, with the flag, the file and the next step.
/// </summary>
public sealed class TopologyFlagsTests : IDisposable
{
    private readonly MiniMesosTree _tree = new();
    private readonly FlagRenderer _renderer;

    public TopologyFlagsTests() => _renderer = new FlagRenderer(_tree.Catalog(), "catalog.json");

    public void Dispose() => _tree.Dispose();

    private Profile Write(string name, string json)
    {
        _tree.Write($"profiles/{name}.json", json);
        return Profile.Load(Path.Combine(_tree.Root, "profiles", name + ".json"));
    }

    private const string DomainFlag = """
        "domain": {"fault_domain": {"region": {"name": "${TRITON_REGION:-}"}, "zone": {"name": "${TRITON_ZONE:-}"}}}
        """;

    private Profile Agent() => Write("agent", $$"""{ "flags": { "work_dir": "/w", {{DomainFlag}} } }""");

    private Profile Master() => Write("master", $$"""
        {
          "program": "master",
          "flags": {
            "work_dir": "/w",
            "zk": "${TRITON_MESOS_ZK}",
            "quorum": "${TRITON_MESOS_QUORUM}",
            "registry": "replicated_log",
            {{DomainFlag}}
          }
        }
        """);

    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static readonly (string, string)[] Zk = [("TRITON_MESOS_ZK", "zk://127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183/mesos"), ("TRITON_MESOS_QUORUM", "2")];

    private TritonMesosException Refused(Profile profile, Dictionary<string, string> env, params string[] sets) =>
        Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, sets, env, environmentOverrides: true));

    [Fact]
    public void Region_and_zone_render_mesos_json_domain()
    {
        var result = _renderer.Render(Agent(), [], Env(("TRITON_REGION", "us-east-1"), ("TRITON_ZONE", "us-east-1a")), false);
        Assert.Equal("""--domain={"fault_domain":{"region":{"name":"us-east-1"},"zone":{"name":"us-east-1a"}}}""",
            result.Flags.Single(f => f.Name == "domain").ToArgument());
        Assert.Equal("agent.json:1", result.Flags.Single(f => f.Name == "domain").Origin);
    }

    [Fact]
    public void Neither_region_nor_zone_leaves_domain_out()
    {
        var result = _renderer.Render(Agent(), [], Env(), false);
        Assert.Equal(["work_dir"], result.Flags.Select(f => f.Name));
    }

    [Fact]
    public void A_region_without_a_zone_is_refused_naming_the_variables()
    {
        var e = Refused(Agent(), Env(("TRITON_REGION", "us-east-1")));
        Assert.Contains("flag 'domain'", e.Message);
        Assert.Contains("a region ('us-east-1') without a zone", e.Message);
        Assert.EndsWith("agent.json", e.File);
        Assert.Equal(1, e.Line);
        Assert.Equal("the profile builds it from TRITON_REGION, TRITON_ZONE: fix them, or override --domain", e.NextStep);
    }

    [Fact]
    public void A_zone_without_a_region_is_refused()
    {
        var e = Refused(Agent(), Env(("TRITON_ZONE", "a")));
        Assert.Contains("a zone ('a') without a region", e.Message);
    }

    [Theory]
    [InlineData("us east", "region name 'us east' must be")]
    [InlineData("-dc", "region name '-dc' must be")]
    [InlineData("dc\"1", "region name 'dc\"1' must be")]
    [InlineData("dc\n", "region name 'dc\\u000a' must be")]
    public void A_malformed_region_name_is_refused_and_stays_json(string region, string expected)
    {
        var e = Refused(Agent(), Env(("TRITON_REGION", region), ("TRITON_ZONE", "z")));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""{"fault_domain":{"region":{"name":"eu"}}}""", "a region ('eu') without a zone")]
    [InlineData("""{"region":{"name":"eu"},"zone":{"name":"a"}}""", "expected an object with the key \"fault_domain\"")]
    [InlineData("""{"fault_domain":{"region":{"name":"eu"},"zone":{"name":"a"},"rack":{"name":"r"}}}""", "unknown key \"rack\"")]
    [InlineData("eu/a", "not JSON")]
    public void An_override_of_domain_is_checked_like_the_profile(string value, string expected)
    {
        var e = Refused(Agent(), Env(("MESOS_DOMAIN", value)));
        Assert.Contains(expected, e.Message);
        Assert.Equal("env MESOS_DOMAIN", e.File);
    }

    [Fact]
    public void A_domain_read_from_a_file_is_left_to_mesos()
    {
        var result = _renderer.Render(Agent(), ["domain=file:///etc/mesos/domain.json"], Env(), false);
        Assert.Equal("file:///etc/mesos/domain.json", result.Flags.Single(f => f.Name == "domain").Value);
    }

    [Fact]
    public void The_master_profile_renders_zk_quorum_registry_and_domain()
    {
        var result = _renderer.Render(Master(), [], Env([.. Zk, ("TRITON_REGION", "us-east-1"), ("TRITON_ZONE", "a"), (FlagRules.MastersVariable, "3")]), true)
            .RequireComplete();
        Assert.Equal(
            "--work_dir=/w\n--zk=zk://127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183/mesos\n--quorum=2\n--registry=replicated_log\n"
            + """--domain={"fault_domain":{"region":{"name":"us-east-1"},"zone":{"name":"a"}}}""" + "\n",
            result.ToCommandLineText());
    }

    [Fact]
    public void A_master_profile_without_zookeeper_says_which_variable_to_set()
    {
        var e = Refused(Master(), Env(("TRITON_MESOS_QUORUM", "2")));
        Assert.Contains("flag 'zk' needs environment variable TRITON_MESOS_ZK", e.Message);
        Assert.StartsWith("set TRITON_MESOS_ZK", e.NextStep);
    }

    [Theory]
    [InlineData("127.0.0.1:2181/mesos", "expected a ZooKeeper URL starting with zk://")]
    [InlineData("zk://127.0.0.1:2181", "no znode path after the servers")]
    [InlineData("zk://127.0.0.1:2181/", "no znode path after the servers")]
    [InlineData("zk://127.0.0.1/mesos", "server '127.0.0.1' has no port")]
    [InlineData("zk://127.0.0.1:2181,,127.0.0.1:2182/mesos", "empty server in")]
    [InlineData("zk://127.0.0.1:99999/mesos", "server '127.0.0.1:99999': the port must be a number from 1 to 65535")]
    [InlineData("zk://127.0.0.1:21x1/mesos", "the port must be a number")]
    [InlineData("zk://h:2181/mesos//log", "znode path '/mesos//log' is malformed")]
    [InlineData("zk://secret@h:2181/mesos", "credentials before '@' must be user:password")]
    public void A_malformed_zookeeper_url_is_refused(string url, string expected)
    {
        var e = Refused(Master(), Env(("TRITON_MESOS_ZK", url), ("TRITON_MESOS_QUORUM", "2")));
        Assert.Contains($"flag 'zk' = ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.EndsWith("master.json", e.File);
        Assert.Equal(5, e.Line);
    }

    [Fact]
    public void Zookeeper_credentials_are_not_printed_in_errors()
    {
        var e = Refused(Master(), Env(("TRITON_MESOS_ZK", "zk://mesos:s3cret@h/mesos"), ("TRITON_MESOS_QUORUM", "2")));
        Assert.Contains("'zk://…@h/mesos'", e.Message);
        Assert.DoesNotContain("s3cret", e.Render());
    }

    [Fact]
    public void A_zookeeper_url_with_credentials_renders()
    {
        var result = _renderer.Render(Master(), [], Env(("TRITON_MESOS_ZK", "zk://mesos:pw@10.0.0.1:2181/mesos"), ("TRITON_MESOS_QUORUM", "1")), false);
        Assert.Contains("--zk=zk://mesos:pw@10.0.0.1:2181/mesos", result.ToCommandLineText());
    }

    [Theory]
    [InlineData("0", "the quorum must be a positive integer")]
    [InlineData("-1", "the quorum must be a positive integer")]
    [InlineData("two", "expected an integer")]
    public void A_quorum_that_is_not_a_positive_integer_is_refused(string quorum, string expected)
    {
        var e = Refused(Master(), Env(("TRITON_MESOS_ZK", "zk://h:2181/mesos"), ("TRITON_MESOS_QUORUM", quorum)));
        Assert.Contains($"flag 'quorum' = '{quorum}': {expected}", e.Message);
    }

    [Theory]
    [InlineData("3", "4", "--quorum=4 is more than the 3 masters", "use --quorum=2 for 3 masters")]
    [InlineData("5", "2", "--quorum=2 is not more than half of the 5 masters", "use --quorum=3 for 5 masters")]
    [InlineData("4", "2", "--quorum=2 is not more than half of the 4 masters", "use --quorum=3 for 4 masters")]
    [InlineData("three", "2", "TRITON_MESOS_MASTERS='three' is not a positive number of masters", "set TRITON_MESOS_MASTERS")]
    public void The_quorum_is_checked_against_the_number_of_masters(string masters, string quorum, string expected, string next)
    {
        var e = Refused(Master(), Env(("TRITON_MESOS_ZK", "zk://h:2181/mesos"), ("TRITON_MESOS_QUORUM", quorum), (FlagRules.MastersVariable, masters)));
        Assert.Contains(expected, e.Message);
        Assert.Contains("flag 'quorum' (from master.json:6)", e.Message);
        Assert.StartsWith(next, e.NextStep);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("3", "2")]
    [InlineData("3", "3")]
    [InlineData("5", "3")]
    public void A_majority_quorum_is_accepted(string masters, string quorum) =>
        Assert.Contains($"--quorum={quorum}",
            _renderer.Render(Master(), [], Env(("TRITON_MESOS_ZK", "zk://h:2181/mesos"), ("TRITON_MESOS_QUORUM", quorum), (FlagRules.MastersVariable, masters)), false)
                .ToCommandLineText());

    [Fact]
    public void Zookeeper_with_the_replicated_log_needs_a_quorum()
    {
        var profile = Write("noquorum", """{ "program": "master", "flags": { "work_dir": "/w", "zk": "zk://h:2181/mesos" } }""");
        var e = Refused(profile, Env());
        Assert.Contains("--zk is set with the replicated log registry but --quorum is not", e.Message);
        Assert.Contains("--quorum=2 for 3 masters", e.NextStep);
        // The in-memory registry needs no quorum.
        Assert.Contains("--registry=in_memory", _renderer.Render(profile, ["registry=in_memory"], Env(), false).ToCommandLineText());
    }

    [Fact]
    public void A_quorum_above_one_without_zookeeper_is_refused()
    {
        var profile = Write("nozk", """{ "program": "master", "flags": { "work_dir": "/w", "quorum": 2 } }""");
        var e = Refused(profile, Env());
        Assert.Contains("--quorum=2 without --zk", e.Message);
    }

    [Fact]
    public void An_unknown_registry_is_refused()
    {
        var e = Refused(Master(), Env(Zk), "registry=replicated-log");
        Assert.Contains("flag 'registry' = 'replicated-log': unknown registry: expected replicated_log or in_memory", e.Message);
        Assert.Equal("--set", e.File);
    }

    [Theory]
    [InlineData("127.0.0.1:5050")]
    [InlineData("master@10.0.0.1:5050")]
    [InlineData("zk://10.0.0.1:2181,10.0.0.2:2181/mesos")]
    [InlineData("file:///etc/mesos/master")]
    public void An_agent_master_may_be_an_address_or_a_zookeeper_url(string master) =>
        Assert.Contains($"--master={master}", _renderer.Render(Agent(), [$"master={master}"], Env(), false).ToCommandLineText());

    [Theory]
    [InlineData("127.0.0.1", "expected host:port of one master")]
    [InlineData("127.0.0.1:5050,127.0.0.1:5051", "expected host:port of one master")]
    [InlineData("zk://10.0.0.1/mesos", "server '10.0.0.1' has no port")]
    public void A_malformed_agent_master_is_refused(string master, string expected)
    {
        var e = Refused(Agent(), Env(("MESOS_MASTER", master)));
        Assert.Contains($"flag 'master' = '{master}': {expected}", e.Message);
    }
}
