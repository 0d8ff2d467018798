namespace TritonMesos.Build;

/// <summary>The outcome of running the test projects: every result, the totals and the projects whose run itself failed.</summary>
public sealed record TestRunSummary(IReadOnlyList<TestResult> Results, IReadOnlyList<string> BrokenRuns)
{
    /// <summary>Totals over every project.</summary>
    public TestTotals Totals => TestTotals.Of(Results);

    /// <summary>True when at least one test ran, none failed and every project's run completed.</summary>
    public bool Succeeded => Totals.Failed == 0 && Totals.Passed + Totals.Failed > 0 && BrokenRuns.Count == 0;

    /// <summary>Throws with the totals line as the message when the run did not succeed.</summary>
    public void EnsureSucceeded()
    {
        if (!Succeeded)
            throw new BuildException(Totals.ToString());
    }
}

/// <summary>Finds the test projects and runs them with <c>dotnet test</c>, one trx file per project.</summary>
public static class TestTasks
{
    /// <summary>Every project under <c>tests/</c> that references Microsoft.NET.Test.Sdk, by path relative to the root.</summary>
    public static IReadOnlyList<string> FindTestProjects(string rootDirectory)
    {
        var tests = Path.Combine(rootDirectory, "tests");
        if (!Directory.Exists(tests))
            return [];
        return Directory.EnumerateFiles(tests, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Where(p => File.ReadAllText(p).Contains("Microsoft.NET.Test.Sdk", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(rootDirectory, p))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Runs each project (<c>--no-build</c> when the solution builds it), writes <c>&lt;Project&gt;.trx</c> into
    /// <paramref name="resultsDirectory"/>, then prints skipped tests with their reasons, failed tests with their
    /// messages, and as the last line the totals; the same line goes to <c>summary.txt</c> for CI.
    /// <paramref name="environment"/> adds to (or overrides) the test processes' environment.
    /// </summary>
    public static async Task<TestRunSummary> RunAsync(string rootDirectory, IReadOnlyList<string> projects, string resultsDirectory,
        string? solution = null, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Directory.CreateDirectory(resultsDirectory);
        foreach (var old in Directory.EnumerateFiles(resultsDirectory, "*.trx").Append(Path.Combine(resultsDirectory, "summary.txt")))
            File.Delete(old);
        var solutionText = solution is not null && File.Exists(Path.Combine(rootDirectory, solution))
            ? File.ReadAllText(Path.Combine(rootDirectory, solution)).Replace('\\', '/')
            : "";

        var results = new List<TestResult>();
        var broken = new List<string>();
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var trx = Path.Combine(resultsDirectory, name + ".trx");
            var inSolution = solutionText.Contains(project.Replace('\\', '/'), StringComparison.Ordinal);
            if (solution is not null && !inSolution)
                Log.Warning($"{project} is not in {solution}: Compile does not build it (add it with `dotnet sln {solution} add {project}`); building it here");
            var arguments = new List<string> { "test", project, "--nologo", "--logger", $"trx;LogFileName={name}.trx", "--results-directory", resultsDirectory,
                "--blame-hang-timeout", "20m", "--blame-hang-dump-type", "none" };
            if (inSolution)
                arguments.Add("--no-build");
            var exitCode = await DotNetTasks.Command(arguments, rootDirectory).WithEnvironment(environment)
                .RunInConsoleAsync(Log.Muted, cancellationToken);
            var projectResults = File.Exists(trx) ? TrxReader.Read(trx, name) : [];
            results.AddRange(projectResults);
            if (!File.Exists(trx))
                broken.Add($"{project}: `dotnet test` exited with code {exitCode} and wrote no results");
            else if (exitCode != 0 && projectResults.All(r => r.Outcome != TestOutcome.Failed))
                broken.Add($"{project}: `dotnet test` exited with code {exitCode} although no test failed (test host crash or hang?)");
        }

        var summary = new TestRunSummary(results, broken);
        Print(summary, projects.Count);
        await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "summary.txt"), summary.Totals + "\n", cancellationToken);
        return summary;
    }

    private static void Print(TestRunSummary summary, int projectCount)
    {
        Log.Plain();
        var skipped = summary.Results.Where(r => r.Outcome == TestOutcome.Skipped).ToList();
        if (skipped.Count > 0)
        {
            Log.Plain($"Skipped tests ({skipped.Count}):");
            foreach (var r in skipped)
                Log.Caution($"  {r.Name}: {FirstLine(r.Message) ?? "(no reason given)"}");
            Log.Plain();
        }
        var failed = summary.Results.Where(r => r.Outcome == TestOutcome.Failed).ToList();
        if (failed.Count > 0)
        {
            Log.Plain($"Failed tests ({failed.Count}):");
            foreach (var r in failed)
                Log.Failure($"  {r.Name}: {FirstLine(r.Message) ?? "(no message)"}");
            Log.Plain();
        }
        foreach (var problem in summary.BrokenRuns)
            Log.Failure(problem);
        if (summary.Totals.Passed + summary.Totals.Failed == 0)
            Log.Failure(projectCount == 0 ? "no test project found under tests/" : "no test ran");
        Log.Plain(summary.Totals.ToString());
    }

    private static string? FirstLine(string? text) => text?.Split('\n')[0].TrimEnd('\r');
}
