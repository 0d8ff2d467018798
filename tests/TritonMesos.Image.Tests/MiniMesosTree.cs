namespace TritonMesos.Image.Tests;

/// <summary>A tiny stand-in for a Mesos source tree (CI has none): configure.ac and the flags files the catalog reads.</summary>
public sealed class MiniMesosTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("triton-mesos-minitree-").FullName;

    public const string SlaveHpp = """
        class Flags : public virtual logging::Flags
        {
        public:
          Flags();

          Option<std::string> master;
          std::string work_dir;
          std::string containerizers;
          std::string docker_socket;
          Option<std::string> docker_tls_cert_path;
          bool docker_mount_sandbox;
          bool exclusive_ports;
          bool docker_use_container_pid;
          bool docker_remap_ports;
          bool docker_check_container_ip;
          bool docker_kill_orphans;
          Duration docker_remove_delay;
          Duration executor_registration_timeout;
          Option<std::string> resources;
          std::string isolation;
          std::string launcher;
          bool systemd_enable_support;
          bool hostname_lookup;
          std::string docker;
          uint16_t port;
          Option<std::string> agent_subsystems;
          Option<Path> jwt_secret_key;
          Option<DomainInfo> domain;
        };
        """;

    public const string SlaveCpp = """
        mesos::internal::slave::Flags::Flags()
        {
          add(&Flags::master,
              "master",
              "May be one of:\n"
              "  `host:port`, a ZooKeeper URL.");

          add(&Flags::work_dir,
              "work_dir",
              "Path of the agent work directory.");

          add(&Flags::containerizers,
              "containerizers",
              "Comma-separated list of containerizer implementations\n"
              "to compose in order to provide containerization.",
              "mesos");

          add(&Flags::docker_socket,
              "docker_socket",
              "Resource used by the agent and the executor to provide CLI access\n"
              "to the Docker daemon, unix:// or tcp://.", // a comment, with a comma
              DEFAULT_DOCKER_HOST_RESOURCE);

          add(&Flags::docker_tls_cert_path,
              "docker_tls_cert_path",
              "Directory with ca.pem, cert.pem and key.pem for a tcp:// socket.");

          add(&Flags::docker_mount_sandbox, "docker_mount_sandbox", "Bind-mount the sandbox.", true);
          add(&Flags::exclusive_ports, "exclusive_ports", "Offer ports exclusively.", true);
          add(&Flags::docker_use_container_pid, "docker_use_container_pid", "Use the container's pid.", true);
          add(&Flags::docker_remap_ports, "docker_remap_ports", "Publish container ports on the offered host ports.", true);
          add(&Flags::docker_check_container_ip, "docker_check_container_ip", "Health checks connect to the container's IP.", false);
          add(&Flags::docker_kill_orphans, "docker_kill_orphans", "Kill orphans.", true);

          add(&Flags::docker_remove_delay,
              "docker_remove_delay",
              "The amount of time to wait before removing docker containers\n"
              "(e.g., `3days`, `2weeks`, etc).",
              DOCKER_REMOVE_DELAY);

          add(&Flags::executor_registration_timeout,
              "executor_registration_timeout",
              "Amount of time to wait for an executor to register.",
              EXECUTOR_REGISTRATION_TIMEOUT,
              [](const Duration& value) -> Option<Error> {
                if (value < Seconds(0)) { return Error("negative, really"); }
                return None();
              });

          add(&Flags::resources, "resources", "Total consumable resources per agent.");

          add(&Flags::isolation,
              "isolation",
              "Isolation mechanisms to use.",
        #ifndef __WINDOWS__
              "posix/cpu,posix/mem"
        #else
              "windows/cpu,windows/mem"
        #endif // __WINDOWS__
              );

          add(&Flags::launcher, "launcher", "The launcher.", "posix");
          add(&Flags::docker, "docker", "The docker CLI.", "docker");
          add(&Flags::hostname_lookup, "hostname_lookup", "Look up the hostname.", true);
          add(&Flags::port, "port", "Port to listen on.", 5051);

          add(&Flags::domain,
              "domain",
              "Domain that the agent belongs to.");

        #ifdef __linux__
          add(&Flags::systemd_enable_support, "systemd_enable_support", "systemd.", true);

          add(&Flags::agent_subsystems,
              "agent_subsystems",
              flags::DeprecatedName("slave_subsystems"),
              "List of comma-separated cgroup subsystems.");
        #endif // __linux__

        #ifdef USE_SSL_SOCKET
          add(&Flags::jwt_secret_key,
              "jwt_secret_key",
              "Path to a file containing the key.");
        #endif // USE_SSL_SOCKET
        }
        """;

    public const string MasterHpp = """
        class Flags : public virtual logging::Flags
        {
        public:
          Flags();
          Option<std::string> work_dir;
          std::string registry;
          Option<int> quorum;
          Option<flags::SecurePathOrValue> zk;
          Option<DomainInfo> domain;
          bool hostname_lookup;
        };
        """;

    public const string MasterCpp = """
        mesos::internal::master::Flags::Flags()
        {
          add(&Flags::work_dir, "work_dir", "Where to store the registry.");
          add(&Flags::registry, "registry", "Persistence strategy.", "replicated_log");
          add(&Flags::quorum, "quorum", "The size of the quorum of replicas.");
          add(&Flags::zk, "zk", "ZooKeeper URL (used for leader election amongst masters).");
          add(&Flags::domain, "domain", "Domain that the master belongs to.");
          add(&Flags::hostname_lookup, "hostname_lookup", "Whether to look up the hostname.", true);
        }
        """;

    public const string LoggingHpp = """
        class Flags : public virtual flags::FlagsBase
        {
        public:
          Flags();
          bool quiet;
          Option<std::string> log_dir;
        };
        """;

    public const string LoggingCpp = """
        mesos::internal::logging::Flags::Flags()
        {
          add(&Flags::quiet, "quiet", "Disable logging to stderr.", false);
          add(&Flags::log_dir, "log_dir", "Location to put log files.");
        }
        """;

    public MiniMesosTree()
    {
        Write("configure.ac", "AC_INIT([mesos], [1.11.0])\n");
        Write("src/slave/flags.hpp", SlaveHpp);
        Write("src/slave/flags.cpp", SlaveCpp);
        Write("src/master/flags.hpp", MasterHpp);
        Write("src/master/flags.cpp", MasterCpp);
        Write("src/logging/flags.hpp", LoggingHpp);
        Write("src/logging/flags.cpp", LoggingCpp);
    }

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public FlagCatalog Catalog() => FlagCatalog.Extract(Root);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
