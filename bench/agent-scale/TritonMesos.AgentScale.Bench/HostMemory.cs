namespace TritonMesos.AgentScale.Bench;

/// <summary>The host's available memory (/proc/meminfo MemAvailable), the figure the bench's safety margin is checked against.</summary>
public static class HostMemory
{
    /// <summary>MemAvailable in MiB.</summary>
    public static long AvailableMiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        throw new InvalidOperationException("/proc/meminfo has no MemAvailable line");
    }

    /// <summary>The 1-minute load average.</summary>
    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
