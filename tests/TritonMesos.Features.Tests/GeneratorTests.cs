using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using TritonMesos.Generators;

namespace TritonMesos.FeatureTests;

/// <summary>Drives the real generator through Roslyn's driver on patches made by the test, then compiles and loads the result.</summary>
public sealed class GeneratorTests
{
    private const string Series = "# order\n0001-mount.patch\n0002-tls.patch\n";

    private static string Patch(string subject, params string[] trailers) => $"""
        From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
        From: triton-mesos <triton-mesos@users.noreply.github.com>
        Date: Wed, 25 Nov 2026 00:00:00 +0000
        Subject: [PATCH] {subject}

        Why the change is needed.

        {string.Join("\n", trailers)}
        ---
         src/a.cpp | 1 +
        diff --git a/src/a.cpp b/src/a.cpp
        --- a/src/a.cpp
        +++ b/src/a.cpp
        @@ -1 +1,2 @@
         a
        +b
        """;

    private const string FeaturesJson = """
        {
          "features": [
            { "id": "container-names", "description": "Names are fine since 1.4.0. Nothing to do.", "flags": [],
              "upstreamStatus": "Backport [1.4.0, 55d7c9f76]", "evidence": "55d7c9f76" },
            { "id": "remote-docker", "description": "TLS to the daemon.", "flags": ["agent docker_socket string /var/run/docker.sock"],
              "upstreamStatus": "Pending", "evidence": "x" }
          ]
        }
        """;

    private static ImmutableArray<AdditionalText> Inputs(string? mountPatch = null) =>
    [
        new InMemoryText("/repo/patches/series", Series),
        new InMemoryText("/repo/patches/features.json", FeaturesJson),
        new InMemoryText("/repo/patches/0001-mount.patch", mountPatch ?? Patch("Made the sandbox mount optional.",
            "Feature: sandbox-mount", "Runtime-Flag: agent docker_mount_sandbox bool true", "Upstream-Status: Pending")),
        new InMemoryText("/repo/patches/0002-tls.patch", Patch("Added --docker_tls_cert_path.",
            "Feature: remote-docker", "Runtime-Flag: agent docker_tls_cert_path string none", "Upstream-Status: Submitted [MESOS-3821]")),
        new InMemoryText("/repo/patches/9999-unlisted.patch", Patch("Not in series.", "Feature: unlisted", "Upstream-Status: Pending")),
        new InMemoryText("/repo/docs/other.json", "{}"),
    ];

    [Fact]
    public void Generates_one_typed_member_per_feature_that_compiles_and_carries_the_declared_values()
    {
        var (compilation, diagnostics) = RunGenerator(Inputs(), """
            public static class Use
            {
                public static TritonMesos.RuntimeFlag Flag() => TritonMesos.Features.SandboxMount.DockerMountSandbox;
                public static TritonMesos.RuntimeFlag Tls() => TritonMesos.Features.RemoteDocker.DockerTlsCertPath;
            }
            """);
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var assembly = Load(compilation);
        var features = assembly.GetType("TritonMesos.Features")!;
        // The generated assembly compiled its own FeatureInfo, so its members are read by reflection.
        var all = ((System.Collections.IEnumerable)features.GetProperty("All")!.GetValue(null)!).Cast<object>().ToList();
        static T Get<T>(object o, string name) => (T)o.GetType().GetProperty(name)!.GetValue(o)!;

        // features.json order first, then features that only the series declares; the unlisted patch is left out.
        Assert.Equal(["container-names", "remote-docker", "sandbox-mount"], all.Select(f => Get<string>(f, "Id")));
        var remote = all[1];
        Assert.Equal(["0002-tls.patch"], Get<IReadOnlyList<string>>(remote, "Patches"));
        Assert.Equal(new UpstreamStatus(UpstreamStatusKind.Pending, null), Get<UpstreamStatus>(remote, "UpstreamStatus")); // features.json wins
        Assert.Equal(
            [new RuntimeFlag(FlagSide.Agent, "docker_socket", "string", "/var/run/docker.sock"), new RuntimeFlag(FlagSide.Agent, "docker_tls_cert_path", "string", "none")],
            Get<IReadOnlyList<RuntimeFlag>>(remote, "Flags"));
        var names = all[0];
        Assert.False(Get<bool>(names, "HasPatch"));
        Assert.Equal(new UpstreamStatus(UpstreamStatusKind.Backport, "1.4.0, 55d7c9f76"), Get<UpstreamStatus>(names, "UpstreamStatus"));
        Assert.Empty(Get<IReadOnlyList<RuntimeFlag>>(names, "Flags"));

        var flag = (RuntimeFlag)assembly.GetType("Use")!.GetMethod("Flag")!.Invoke(null, null)!;
        Assert.Equal(new RuntimeFlag(FlagSide.Agent, "docker_mount_sandbox", "bool", "true"), flag);
    }

    [Fact]
    public void A_renamed_flag_breaks_compilation_of_code_that_uses_the_old_name()
    {
        var renamed = Patch("Made the sandbox mount optional.",
            "Feature: sandbox-mount", "Runtime-Flag: agent docker_sandbox_mount bool true", "Upstream-Status: Pending");
        var (_, diagnostics) = RunGenerator(Inputs(renamed), """
            public static class Use
            {
                public static TritonMesos.RuntimeFlag Flag() => TritonMesos.Features.SandboxMount.DockerMountSandbox;
            }
            """);
        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS1061", error.Id);
        Assert.Contains("DockerMountSandbox", error.GetMessage());
    }

    [Fact]
    public void A_malformed_trailer_is_an_info_diagnostic_and_the_rest_still_compiles()
    {
        var malformed = Patch("Made the sandbox mount optional.",
            "Feature: sandbox-mount", "Runtime-Flag: docker_mount_sandbox bool", "Upstream-Status: Pending");
        var (_, diagnostics) = RunGenerator(Inputs(malformed), "public static class Use { public static object F() => TritonMesos.Features.SandboxMount; }");
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var info = Assert.Single(diagnostics, d => d.Id == "TMF001");
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Contains("0001-mount.patch: Runtime-Flag needs 'agent|master name type default', got 'docker_mount_sandbox bool'; left out of Features.SandboxMount", info.GetMessage());
    }

    [Fact]
    public void Unchanged_inputs_are_served_from_the_incremental_cache()
    {
        var compilation = BaseCompilation("public static class Use { }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new FeaturesGenerator().AsSourceGenerator()], Inputs(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }")));
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var changed = Inputs(Patch("Changed.", "Feature: sandbox-mount", "Upstream-Status: Pending"));
        driver = driver.ReplaceAdditionalTexts(changed).RunGenerators(compilation);
        var after = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.Contains(after, o => o.Reason == IncrementalStepRunReason.Modified);
    }

    private static (Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics) RunGenerator(ImmutableArray<AdditionalText> inputs, string usage)
    {
        var compilation = BaseCompilation(usage);
        var driver = CSharpGeneratorDriver.Create([new FeaturesGenerator().AsSourceGenerator()], inputs);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return (output, generatorDiagnostics.AddRange(output.GetDiagnostics()));
    }

    private static CSharpCompilation BaseCompilation(string usage)
    {
        var featureInfo = File.ReadAllText(Path.Combine(RepositoryRoot(), "tool", "TritonMesos.Features", "FeatureInfo.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(RuntimeFlag).Assembly.Location));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpCompilation.Create("Generated" + Guid.NewGuid().ToString("N"),
            [
                CSharpSyntaxTree.ParseText("global using System; global using System.Linq; global using System.Collections.Generic;", options),
                CSharpSyntaxTree.ParseText(featureInfo, options),
                CSharpSyntaxTree.ParseText(usage, options),
            ],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return new AssemblyLoadContext("generated", isCollectible: true).LoadFromStream(new MemoryStream(stream.ToArray()));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, UpstreamLock.FileName)))
                return dir.FullName;
        throw new InvalidOperationException("repository root (upstream.lock) not found above " + AppContext.BaseDirectory);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
