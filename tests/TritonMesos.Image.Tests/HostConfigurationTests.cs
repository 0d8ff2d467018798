using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class HostConfigurationTests
{
    [Fact]
    public void Apt_mirrors_are_read_from_one_line_and_deb822_sources()
    {
        var root = Directory.CreateTempSubdirectory("triton-mesos-apt-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc/apt/sources.list.d"));
            File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), "# nothing\ndeb [arch=amd64] http://other.example/debian bookworm contrib\n");
            File.WriteAllText(Path.Combine(root, "etc/apt/sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main
                """);
            File.WriteAllText(Path.Combine(root, "etc/apt/sources.list.d/node.list"), "deb https://deb.example/node_20.x nodistro main\n");
            var sources = AptSources.FromHost("bookworm", root);
            Assert.Equal("http://mirror.example/debian", sources.Mirror);
            Assert.Equal("http://mirror.example/debian-security", sources.SecurityMirror);
            Assert.Contains("deb http://mirror.example/debian-security bookworm-security main", sources.SourcesList("bookworm"));

            var e = Assert.Throws<TritonMesosException>(() => AptSources.FromHost("trixie", root));
            Assert.Contains("trixie", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Build_context_staging_skips_git_and_leaves_unchanged_files_alone()
    {
        var source = Directory.CreateTempSubdirectory("triton-mesos-src-").FullName;
        var destination = Path.Combine(Path.GetTempPath(), "triton-mesos-ctx-" + Guid.NewGuid());
        try
        {
            Directory.CreateDirectory(Path.Combine(source, ".git/objects"));
            File.WriteAllText(Path.Combine(source, ".git/HEAD"), "ref: x");
            Directory.CreateDirectory(Path.Combine(source, "src/slave"));
            File.WriteAllText(Path.Combine(source, "src/slave/flags.cpp"), "a");
            File.WriteAllText(Path.Combine(source, "configure.ac"), "b");
            Assert.Equal((2, 0), DirectorySync.Mirror(source, destination));
            Assert.False(Directory.Exists(Path.Combine(destination, ".git")));

            Assert.Equal((0, 0), DirectorySync.Mirror(source, destination));

            File.Delete(Path.Combine(source, "configure.ac"));
            File.WriteAllText(Path.Combine(source, "src/slave/flags.cpp"), "changed");
            Assert.Equal((1, 1), DirectorySync.Mirror(source, destination));
            Assert.Equal("changed", File.ReadAllText(Path.Combine(destination, "src/slave/flags.cpp")));
            Assert.False(File.Exists(Path.Combine(destination, "configure.ac")));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        }
    }
}
