using System.Diagnostics;
using TritonMesos.E2E.Tests.Fixture;
using Xunit;

namespace TritonMesos.E2E.Tests;

/// <summary><see cref="ProcessSample"/> on this host's own processes (no Docker, no Mesos: it runs in CI too).</summary>
public sealed class ProcessSampleTests
{
    [Fact]
    public async Task Sample_of_this_pid_namespace_counts_child_processes_by_program_with_their_memory()
    {
        var children = Enumerable.Range(0, 3).Select(_ => Process.Start(new ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!).ToList();
        try
        {
            await Task.Delay(300);
            var sample = ProcessSample.OfNamespace(Environment.ProcessId);
            var sleep = sample.Of("sleep");
            Assert.True(sleep.Processes >= 3, $"expected the 3 sleep children, saw {sleep.Processes}: {string.Join(", ", sample.Programs.Keys)}");
            Assert.True(sleep.PssKiB > 0 && sleep.RssKiB >= sleep.PssKiB, $"sleep: PSS {sleep.PssKiB} KiB, RSS {sleep.RssKiB} KiB");
            Assert.True(sample.Of("dotnet").Processes + sample.Of("testhost").Processes >= 1, "this test process is not in its own namespace's sample");
            Assert.Equal(sample.Programs.Values.Sum(p => p.Processes), sample.Processes);

            var counted = ProcessSample.OfNamespace(Environment.ProcessId, withMemory: false);
            Assert.True(counted.Count("sleep") >= 3);
            Assert.Equal(0, counted.PssKiB);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Kill();
                await child.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public void Sample_of_a_pid_that_does_not_exist_says_so()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProcessSample.OfNamespace(int.MaxValue));
        Assert.Contains("is gone", e.Message);
    }
}
