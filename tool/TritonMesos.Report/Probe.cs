using System.Collections.Concurrent;
using System.Diagnostics;
namespace TritonMesos.Report;
internal static class Probe
{
    private static readonly ConcurrentDictionary<string, long[]> T = new();
    public static T1 Time<T1>(string name, Func<T1> f)
    {
        var s = Stopwatch.GetTimestamp();
        try { return f(); }
        finally { var a = T.GetOrAdd(name, _ => new long[2]); Interlocked.Add(ref a[0], Stopwatch.GetTimestamp() - s); Interlocked.Increment(ref a[1]); }
    }
    public static void Dump() { foreach (var (k, v) in T.OrderBy(x => x.Key)) Console.Error.WriteLine($"probe {k}: {v[1]} calls {v[0] * 1000.0 / Stopwatch.Frequency:0.0} ms"); }
}
