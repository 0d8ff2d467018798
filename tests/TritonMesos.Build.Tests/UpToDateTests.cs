namespace TritonMesos.Build.Tests;

/// <summary>Restore and Compile do nothing when their inputs are as at the last successful run (real dotnet, a tiny solution).</summary>
[Collection(RunnerCollection.Name)]
public sealed class UpToDateTests
{
    private const string Solution = """
        Microsoft Visual Studio Solution File, Format Version 12.00
        Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Lib", "tool\Lib\Lib.csproj", "{11111111-1111-1111-1111-111111111111}"
        EndProject
        Global
        	GlobalSection(SolutionConfigurationPlatforms) = preSolution
        		Debug|Any CPU = Debug|Any CPU
        	EndGlobalSection
        	GlobalSection(ProjectConfigurationPlatforms) = postSolution
        		{11111111-1111-1111-1111-111111111111}.Debug|Any CPU.ActiveCfg = Debug|Any CPU
        		{11111111-1111-1111-1111-111111111111}.Debug|Any CPU.Build.0 = Debug|Any CPU
        	EndGlobalSection
        EndGlobal
        """;

    [Fact]
    public void The_stamp_changes_with_an_input_and_ignores_build_outputs()
    {
        var root = Directory.CreateTempSubdirectory("triton-mesos-stamp-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "tool", "Lib", "obj"));
            File.WriteAllText(Path.Combine(root, "tool", "Lib", "A.cs"), "class A { }");
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            var stampFile = Path.Combine(root, ".nuke", "temp", "x.stamp");
            InputStamp Stamp() => InputStamp.Of(root, ["tool"], ["Directory.Build.props", "absent.json"], "Debug");

            var first = Stamp();
            Assert.Equal(2, first.FileCount);
            Assert.False(first.IsRecordedIn(stampFile));
            first.RecordIn(stampFile);
            Assert.True(Stamp().IsRecordedIn(stampFile));

            // Build outputs are not inputs.
            File.WriteAllText(Path.Combine(root, "tool", "Lib", "obj", "generated.cs"), "class G { }");
            Assert.True(Stamp().IsRecordedIn(stampFile));

            // A source edit, a new file, a root input or another configuration is a change.
            File.WriteAllText(Path.Combine(root, "tool", "Lib", "A.cs"), "class A { int x; }");
            Assert.False(Stamp().IsRecordedIn(stampFile));
            Stamp().RecordIn(stampFile);
            File.WriteAllText(Path.Combine(root, "tool", "Lib", "B.cs"), "class B { }");
            Assert.False(Stamp().IsRecordedIn(stampFile));
            Stamp().RecordIn(stampFile);
            File.SetLastWriteTimeUtc(Path.Combine(root, "Directory.Build.props"), DateTime.UtcNow.AddMinutes(1));
            Assert.False(Stamp().IsRecordedIn(stampFile));
            Stamp().RecordIn(stampFile);
            Assert.False(InputStamp.Of(root, ["tool"], ["Directory.Build.props"], "Release").IsRecordedIn(stampFile));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_projects_of_the_repository_solution_are_found()
    {
        var root = FindRoot();
        var projects = DotNetTasks.Projects(root, "triton-mesos.sln");
        Assert.Contains(Path.Combine(root, "tool", "TritonMesos.Build", "TritonMesos.Build.csproj"), projects);
        Assert.Contains(Path.Combine(root, "tests", "TritonMesos.Build.Tests", "TritonMesos.Build.Tests.csproj"), projects);
        Assert.All(projects, p => Assert.True(File.Exists(p), p));
    }

    [Fact]
    public async Task A_second_restore_and_compile_with_unchanged_inputs_run_no_dotnet_and_an_edit_builds_again()
    {
        var root = Directory.CreateTempSubdirectory("triton-mesos-uptodate-").FullName;
        var output = new StringWriter();
        var previous = (Log.Out, Log.UseColors);
        try
        {
            // An isolated repository root: its own Directory.Build.props so the project's settings do not leak in.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "lib.sln"), Solution);
            var project = Directory.CreateDirectory(Path.Combine(root, "tool", "Lib")).FullName;
            File.WriteAllText(Path.Combine(project, "Lib.csproj"),
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
            File.WriteAllText(Path.Combine(project, "A.cs"), "public class A { }");
            var stamps = Path.Combine(root, ".nuke", "temp");
            Log.Out = output;
            Log.UseColors = false;

            Assert.True(await DotNetTasks.RestoreIfChangedAsync("lib.sln", root, stamps));
            Assert.True(await DotNetTasks.BuildIfChangedAsync("lib.sln", root, stamps));
            var dll = Path.Combine(project, "bin", "Debug", "net10.0", "Lib.dll");
            var built = File.GetLastWriteTimeUtc(dll);

            Assert.False(await DotNetTasks.RestoreIfChangedAsync("lib.sln", root, stamps));
            Assert.False(await DotNetTasks.BuildIfChangedAsync("lib.sln", root, stamps));
            Assert.Equal(built, File.GetLastWriteTimeUtc(dll));
            Assert.Contains("compile: up to date (5 input files unchanged since the last build)", output.ToString());

            File.WriteAllText(Path.Combine(project, "B.cs"), "public class B { }");
            Assert.False(await DotNetTasks.RestoreIfChangedAsync("lib.sln", root, stamps));
            Assert.True(await DotNetTasks.BuildIfChangedAsync("lib.sln", root, stamps));
            Assert.Contains("B", TypeNames(dll));

            // Deleted outputs are rebuilt even though no input changed: the whole directory, or its files (dotnet clean).
            Directory.Delete(Path.Combine(project, "bin"), recursive: true);
            Assert.True(await DotNetTasks.BuildIfChangedAsync("lib.sln", root, stamps));
            Assert.True(File.Exists(dll));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(project, "bin"), "*", SearchOption.AllDirectories))
                File.Delete(file);
            Assert.True(await DotNetTasks.BuildIfChangedAsync("lib.sln", root, stamps));
            Assert.True(File.Exists(dll));
        }
        finally
        {
            (Log.Out, Log.UseColors) = previous;
            Directory.Delete(root, recursive: true);
        }
    }

    private static IReadOnlyList<string> TypeNames(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.TypeDefinitions.Select(h => metadata.GetString(metadata.GetTypeDefinition(h).Name)).ToList();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "triton-mesos.sln")))
                return dir.FullName;
        throw new InvalidOperationException("triton-mesos.sln not found above " + AppContext.BaseDirectory);
    }
}
