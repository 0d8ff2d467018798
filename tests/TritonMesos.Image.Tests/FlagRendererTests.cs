using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class FlagRendererTests : IDisposable
{
    private readonly MiniMesosTree _tree = new();
    private readonly FlagRenderer _renderer;

    public FlagRendererTests() => _renderer = new FlagRenderer(_tree.Catalog(), "catalog.json");

    public void Dispose() => _tree.Dispose();

    private Profile WriteProfile(string name, string json)
    {
        _tree.Write($"profiles/{name}.json", json);
        return Profile.Load(Path.Combine(_tree.Root, "profiles", name + ".json"));
    }

    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Renders_booleans_strings_and_durations()
    {
        var profile = WriteProfile("p", """
            {
              "flags": {
                "containerizers": "docker",
                "docker_mount_sandbox": false,
                "hostname_lookup": true,
                "docker_remove_delay": "0secs",
                "port": 5052,
                "resources": null
              }
            }
            """);
        var result = _renderer.Render(profile, [], NoEnv, environmentOverrides: false);
        Assert.Equal("--containerizers=docker\n--no-docker_mount_sandbox\n--hostname_lookup\n--docker_remove_delay=0secs\n--port=5052\n",
            result.ToCommandLineText());
        Assert.Equal("MESOS_CONTAINERIZERS=docker\nMESOS_DOCKER_MOUNT_SANDBOX=false\nMESOS_HOSTNAME_LOOKUP=true\nMESOS_DOCKER_REMOVE_DELAY=0secs\nMESOS_PORT=5052\n",
            result.ToEnvironmentText());
        Assert.Equal(["master", "work_dir"], result.MissingRequired);
    }

    [Fact]
    public void Set_overrides_environment_which_overrides_the_profile()
    {
        var profile = WriteProfile("p", """{ "flags": { "containerizers": "docker", "launcher": "posix" } }""");
        var env = new Dictionary<string, string> { ["MESOS_CONTAINERIZERS"] = "mesos", ["MESOS_MASTER"] = "127.0.0.1:5050", ["MESOS_LAUNCHER"] = "linux" };
        var result = _renderer.Render(profile, ["launcher=posix", "docker_mount_sandbox=false"], env, environmentOverrides: true, workDir: "/tmp/w");
        Assert.Equal("--containerizers=mesos\n--launcher=posix\n--master=127.0.0.1:5050\n--work_dir=/tmp/w\n--no-docker_mount_sandbox\n",
            result.ToCommandLineText());
        Assert.Equal("env MESOS_CONTAINERIZERS", result.Flags[0].Origin);
        Assert.Empty(result.MissingRequired);
    }

    [Fact]
    public void A_typo_in_a_profile_names_the_flag_the_file_the_line_and_the_nearest_flag()
    {
        var profile = WriteProfile("typo", """
            {
              "flags": {
                "containerizers": "docker",
                "docker_mount_sandbx": false
              }
            }
            """);
        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], NoEnv, false));
        Assert.Contains("unknown agent flag 'docker_mount_sandbx'", e.Message);
        Assert.EndsWith("typo.json", e.File);
        Assert.Equal(4, e.Line);
        Assert.Equal("did you mean 'docker_mount_sandbox'?", e.NextStep);
    }

    [Fact]
    public void A_flag_of_a_feature_that_is_not_applied_is_refused_before_the_agent_starts()
    {
        // The same catalog without the Triton flags: a tree without the feature patches.
        _tree.Write("src/slave/flags.cpp", MiniMesosTree.SlaveCpp.Replace("add(&Flags::docker_tls_cert_path,", "addNot(&Flags::docker_tls_cert_path,"));
        var renderer = new FlagRenderer(_tree.Catalog(), "catalog.json");
        var profile = WriteProfile("p", """{ "flags": { "docker_tls_cert_path": "/etc/triton/docker" } }""");
        var e = Assert.Throws<TritonMesosException>(() => renderer.Render(profile, [], NoEnv, false));
        Assert.Contains("'docker_tls_cert_path'", e.Message);
        Assert.Contains("feature patch is not applied", e.Message);
    }

    [Fact]
    public void A_compiled_out_flag_says_which_build_option_it_needs()
    {
        var profile = WriteProfile("p", """{ "flags": { "jwt_secret_key": "/k" } }""");
        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], NoEnv, false));
        Assert.Contains("compiled out", e.Message);
        Assert.Contains("USE_SSL_SOCKET", e.Message);
    }

    [Fact]
    public void Unknown_overrides_from_environment_and_set_are_errors_too()
    {
        var profile = WriteProfile("p", """{ "flags": {} }""");
        var env = new Dictionary<string, string> { ["MESOS_MASTR"] = "x" };
        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], env, environmentOverrides: true));
        Assert.Contains("'mastr'", e.Message);
        Assert.Contains("MESOS_MASTR", e.File);
        Assert.Equal("did you mean 'master'?", e.NextStep);

        var e2 = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, ["exclusive_port=false"], NoEnv, false));
        Assert.Equal("did you mean 'exclusive_ports'?", e2.NextStep);
        Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, ["novalue"], NoEnv, false));
    }

    [Fact]
    public void Values_are_checked_against_the_flag_type()
    {
        var profile = WriteProfile("p", """
            {
              "flags": {
                "docker_remove_delay": "soon"
              }
            }
            """);
        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], NoEnv, false));
        Assert.Contains("'docker_remove_delay' = 'soon'", e.Message);
        Assert.Contains("duration", e.Message);
        Assert.Equal(3, e.Line);

        var bad = Assert.Throws<TritonMesosException>(() => _renderer.Render(WriteProfile("q", """{ "flags": {} }"""), ["exclusive_ports=maybe"], NoEnv, false));
        Assert.Contains("true or false", bad.Message);
        Assert.Throws<TritonMesosException>(() => _renderer.Render(WriteProfile("r", """{ "flags": {} }"""), ["port=-1"], NoEnv, false));
    }

    [Fact]
    public void Variables_expand_with_defaults_and_a_missing_one_is_a_clear_error()
    {
        var profile = WriteProfile("p", """
            {
              "flags": {
                "resources": "cpus:${CPUS:-8};ports:[1-65535]",
                "docker_socket": "${TRITON_DOCKER_HOST}"
              }
            }
            """);
        var env = new Dictionary<string, string> { ["TRITON_DOCKER_HOST"] = "tcp://10.0.0.1:2376" };
        var result = _renderer.Render(profile, [], env, false);
        Assert.Equal("--resources=cpus:8;ports:[1-65535]\n--docker_socket=tcp://10.0.0.1:2376\n", result.ToCommandLineText());

        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], NoEnv, false));
        Assert.Contains("TRITON_DOCKER_HOST", e.Message);
        Assert.Equal(4, e.Line);

        // An override replaces the value before expansion, so the variable is then not needed.
        var overridden = _renderer.Render(profile, ["docker_socket=tcp://10.0.0.2:2376"], NoEnv, false);
        Assert.Contains("--docker_socket=tcp://10.0.0.2:2376", overridden.ToCommandLineText());
    }

    [Fact]
    public void Missing_required_flags_are_reported_naming_the_profile()
    {
        var profile = WriteProfile("p", """{ "flags": { "work_dir": "/w" } }""");
        var e = Assert.Throws<TritonMesosException>(() => _renderer.Render(profile, [], NoEnv, false).RequireComplete());
        Assert.Contains("--master", e.Message);
        Assert.Contains("MESOS_MASTER", e.NextStep);
        Assert.EndsWith("p.json", e.File);
    }

    [Fact]
    public void Malformed_profiles_name_file_and_line()
    {
        _tree.Write("profiles/bad.json", "{\n  \"flags\": {\n    \"a\": tru\n  }\n}");
        var e = Assert.Throws<TritonMesosException>(() => Profile.Load(Path.Combine(_tree.Root, "profiles/bad.json")));
        Assert.Equal(3, e.Line);
        var twice = Assert.Throws<TritonMesosException>(() => WriteProfile("twice", "{\n\"flags\": {\n\"port\": 1,\n\"port\": 2\n}\n}"));
        Assert.Contains("set twice", twice.Message);
        var missing = Assert.Throws<TritonMesosException>(() => Profile.Load(Path.Combine(_tree.Root, "profiles/none.json")));
        Assert.Contains("known profiles", missing.NextStep);
    }
}
