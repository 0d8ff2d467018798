using System.Diagnostics;
using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>tracked-make (the make step of Dockerfile.slave) on a small real make + ccache build: progress lines, the summary, a failure.</summary>
public sealed class TrackedMakeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("triton-mesos-tracked-make-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Script => Path.Combine(RepositoryProfilesTests.RepositoryRoot(), AgentImageBuilder.BuildScripts.Single());

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private (int ExitCode, string Output) Run(string? expected = null)
    {
        var start = new ProcessStartInfo("sh") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Script, Path.Combine(_dir, "make.log"), "sample", "-j2" })
            start.ArgumentList.Add(arg);
        start.Environment["CCACHE_DIR"] = Path.Combine(_dir, "ccache");
        start.Environment["PROGRESS_INTERVAL"] = "1";
        if (expected is not null)
            start.Environment["EXPECTED_COMPILATIONS"] = expected;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private void Sources(int count, string? broken = null)
    {
        foreach (var o in Directory.EnumerateFiles(_dir, "*.o"))
            File.Delete(o);
        for (var i = 1; i <= count; i++)
            File.WriteAllText(Path.Combine(_dir, $"f{i}.c"), $"int f{i}(void) {{ return {i}; }}\n");
        if (broken is not null)
            File.WriteAllText(Path.Combine(_dir, broken), "this is not C\n");
        var objects = string.Join(' ', Enumerable.Range(1, count).Select(i => $"f{i}.o"));
        // Each compilation takes a second, so progress lines (every second here) see a build under way.
        File.WriteAllText(Path.Combine(_dir, "Makefile"), $"all: {objects}\n%.o: %.c\n\tsleep 1; ccache gcc -c -o $@ $<\n");
    }

    [SkippableFact]
    public void Reports_progress_against_the_expected_count_and_ends_with_duration_and_hit_rate()
    {
        Skip.IfNot(OnPath("ccache") && OnPath("make") && OnPath("gcc"), "needs ccache, make and gcc on PATH (apt-get install ccache make gcc); the image build runs this script in the builder stage");
        Sources(6);

        var (exitCode, first) = Run(expected: "6");
        Assert.Equal(0, exitCode);
        Assert.Contains("==> make -j2 (", first);
        Assert.Contains("6 compilations expected (as in EXPECTED_COMPILATIONS", first);
        Assert.Matches(@"==> make: \d of 6 compilations \(\d+ %\), 0m0\ds elapsed, ccache hits 0", first);
        Assert.Matches(@"==> make took 0m\d\ds \(\d\d:\d\d:\d\d\): 6 compilations; ccache 0 hits, 6 misses: 0 % hits", first);

        // The same sources again: every compilation is a hit, and the count of the last build is the total.
        Sources(6);
        var (_, second) = Run();
        Assert.Contains("6 compilations expected (as in the last complete build)", second);
        Assert.Matches(@"==> make took 0m\d\ds \(\d\d:\d\d:\d\d\): 6 compilations; ccache 6 hits, 0 misses: 100 % hits", second);
    }

    [SkippableFact]
    public void A_failed_make_prints_its_errors_and_fails()
    {
        Skip.IfNot(OnPath("ccache") && OnPath("make") && OnPath("gcc"), "needs ccache, make and gcc on PATH (apt-get install ccache make gcc)");
        Sources(3, broken: "f2.c");

        var (exitCode, output) = Run();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no earlier count to compare with", output);
        Assert.Matches(@"==> FAILED: make -j2 after 0m\d\ds \(\d compilations\); errors in .*make\.log:", output);
        Assert.Contains("f2.c:1:", output);
        Assert.DoesNotContain("==> make took", output);
    }
}
