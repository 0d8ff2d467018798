using System.Collections.Immutable;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>Memory of one program's processes (summed): count, PSS and private (clean + dirty) in KiB, from /proc/PID/smaps_rollup.</summary>
public sealed record ProgramMemory(string Program, int Processes, long PssKiB, long PrivateKiB, long RssKiB)
{
    /// <summary>Sum of two samples of the same program.</summary>
    public ProgramMemory Add(ProgramMemory other) =>
        this with { Processes = Processes + other.Processes, PssKiB = PssKiB + other.PssKiB, PrivateKiB = PrivateKiB + other.PrivateKiB, RssKiB = RssKiB + other.RssKiB };
}

/// <summary>
/// Every process in one PID namespace (the agent container's), by program (the basename of /proc/PID/exe, else comm),
/// with its memory from smaps_rollup. Read from the host as root.
/// </summary>
public sealed record ProcessSample(DateTime At, ImmutableSortedDictionary<string, ProgramMemory> Programs)
{
    /// <summary>All processes of the sample.</summary>
    public int Processes => Programs.Values.Sum(p => p.Processes);

    /// <summary>Total PSS in KiB.</summary>
    public long PssKiB => Programs.Values.Sum(p => p.PssKiB);

    /// <summary>Processes of one program (0 when none).</summary>
    public int Count(string program) => Programs.TryGetValue(program, out var p) ? p.Processes : 0;

    /// <summary>One program's memory, or an empty entry.</summary>
    public ProgramMemory Of(string program) => Programs.TryGetValue(program, out var p) ? p : new ProgramMemory(program, 0, 0, 0, 0);

    /// <summary>The processes sharing the PID namespace of <paramref name="pid"/> (a host pid), sampled now.</summary>
    public static ProcessSample OfNamespace(int pid, bool withMemory = true)
    {
        var ns = NamespaceOf(pid) ?? throw new InvalidOperationException($"process {pid} is gone (no /proc/{pid}/ns/pid)");
        var programs = new Dictionary<string, ProgramMemory>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate) || NamespaceOf(candidate) != ns)
                continue;
            var program = ProgramOf(candidate);
            if (program is null)
                continue;
            var memory = withMemory ? Rollup(candidate, program) : new ProgramMemory(program, 1, 0, 0, 0);
            if (memory is null)
                continue;
            programs[program] = programs.TryGetValue(program, out var sum) ? sum.Add(memory) : memory;
        }
        return new ProcessSample(DateTime.UtcNow, programs.ToImmutableSortedDictionary(StringComparer.Ordinal));
    }

    private static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ProgramOf(int pid)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            if (!string.IsNullOrEmpty(exe))
                return Path.GetFileName(exe.Replace(" (deleted)", "", StringComparison.Ordinal));
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ProgramMemory? Rollup(int pid, string program)
    {
        try
        {
            long rss = 0, pss = 0, priv = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || !long.TryParse(parts[1], out var kib))
                    continue;
                switch (parts[0])
                {
                    case "Rss:": rss = kib; break;
                    case "Pss:": pss = kib; break;
                    case "Private_Clean:":
                    case "Private_Dirty:": priv += kib; break;
                }
            }
            return new ProgramMemory(program, 1, pss, priv, rss);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exited between listing and reading (a short-lived docker CLI).
            return null;
        }
    }
}
