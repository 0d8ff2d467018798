using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class FlagCatalogTests
{
    [Fact]
    public void Extracts_names_types_defaults_and_aliases()
    {
        using var tree = new MiniMesosTree();
        var catalog = tree.Catalog();

        Assert.Equal("1.11.0", catalog.MesosVersion);
        var containerizers = catalog.Find(FlagSide.Agent, "containerizers")!;
        Assert.Equal("std::string", containerizers.Type);
        Assert.Equal("mesos", containerizers.Default);
        Assert.Equal("src/slave/flags.cpp", containerizers.Source);

        var sandbox = catalog.Find(FlagSide.Agent, "docker_mount_sandbox")!;
        Assert.True(sandbox.IsBool);
        Assert.Equal("true", sandbox.Default);

        Assert.Equal("DEFAULT_DOCKER_HOST_RESOURCE", catalog.Find(FlagSide.Agent, "docker_socket")!.Default);
        Assert.Equal("Option<std::string>", catalog.Find(FlagSide.Agent, "docker_tls_cert_path")!.Type);
        Assert.Null(catalog.Find(FlagSide.Agent, "docker_tls_cert_path")!.Default);
        Assert.Equal("Duration", catalog.Find(FlagSide.Agent, "docker_remove_delay")!.ValueType);
        // The validation lambda after the default is not mistaken for the default.
        Assert.Equal("EXECUTOR_REGISTRATION_TIMEOUT", catalog.Find(FlagSide.Agent, "executor_registration_timeout")!.Default);
        // A default split by #ifndef __WINDOWS__ keeps the Linux branch only.
        Assert.Equal("posix/cpu,posix/mem", catalog.Find(FlagSide.Agent, "isolation")!.Default);
        Assert.Equal("5051", catalog.Find(FlagSide.Agent, "port")!.Default);

        var subsystems = catalog.Find(FlagSide.Agent, "slave_subsystems")!;
        Assert.Equal("agent_subsystems", subsystems.Name);
        Assert.Equal("__linux__", subsystems.Condition);
    }

    [Fact]
    public void Inherits_logging_flags_and_help_on_both_programs()
    {
        using var tree = new MiniMesosTree();
        var catalog = tree.Catalog();
        foreach (var side in new[] { FlagSide.Agent, FlagSide.Master })
        {
            Assert.NotNull(catalog.Find(side, "log_dir"));
            Assert.NotNull(catalog.Find(side, "quiet"));
            Assert.True(catalog.Find(side, "help")!.IsBool);
        }
        Assert.Equal("replicated_log", catalog.Find(FlagSide.Master, "registry")!.Default);
        Assert.Null(catalog.Find(FlagSide.Master, "containerizers"));
    }

    [Fact]
    public void Flags_compiled_out_for_linux_are_unavailable_with_their_condition()
    {
        using var tree = new MiniMesosTree();
        var catalog = tree.Catalog();
        Assert.Null(catalog.Find(FlagSide.Agent, "jwt_secret_key"));
        Assert.Equal("USE_SSL_SOCKET", catalog.FindUnavailable("jwt_secret_key")!.Condition);

        var withSsl = FlagCatalog.Extract(tree.Root, ["__linux__", "USE_SSL_SOCKET"]);
        Assert.NotNull(withSsl.Find(FlagSide.Agent, "jwt_secret_key"));
        var windows = FlagCatalog.Extract(tree.Root, ["__WINDOWS__"]);
        Assert.Null(windows.Find(FlagSide.Agent, "systemd_enable_support"));
        Assert.Equal("windows/cpu,windows/mem", windows.Find(FlagSide.Agent, "isolation")!.Default);
    }

    [Fact]
    public void Round_trips_through_json()
    {
        using var tree = new MiniMesosTree();
        var catalog = tree.Catalog();
        var path = Path.Combine(tree.Root, "out", FlagCatalog.FileName);
        catalog.Save(path);
        var loaded = FlagCatalog.Load(path);
        Assert.Equal(catalog.Agent, loaded.Agent);
        Assert.Equal(catalog.Master, loaded.Master);
        Assert.Equal(catalog.Unavailable, loaded.Unavailable);
    }

    [Fact]
    public void Nearest_known_flag_is_suggested()
    {
        using var tree = new MiniMesosTree();
        Assert.Equal("docker_mount_sandbox", tree.Catalog().Nearest(FlagSide.Agent, "docker_mount_sandbx"));
    }

    [Fact]
    public void A_missing_tree_or_file_names_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-mesos-" + Guid.NewGuid());
        var e = Assert.Throws<TritonMesosException>(() => FlagCatalog.Extract(missing));
        Assert.Equal(missing, e.File);

        using var tree = new MiniMesosTree();
        File.Delete(Path.Combine(tree.Root, "src/master/flags.cpp"));
        var e2 = Assert.Throws<TritonMesosException>(() => tree.Catalog());
        Assert.EndsWith("src/master/flags.cpp", e2.File);
    }

    [Fact]
    public void A_flags_file_without_declarations_is_an_error()
    {
        using var tree = new MiniMesosTree();
        tree.Write("src/master/flags.cpp", "// nothing here\n");
        var e = Assert.Throws<TritonMesosException>(() => tree.Catalog());
        Assert.Contains("no `add(&Flags::…)` declarations", e.Message);
    }

    [Fact]
    public void Malformed_catalog_json_names_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid()}.json");
        File.WriteAllText(path, "{\n  \"agent\": [\n  oops\n]}");
        try
        {
            var e = Assert.Throws<TritonMesosException>(() => FlagCatalog.Load(path));
            Assert.Equal(path, e.File);
            Assert.Equal(3, e.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
