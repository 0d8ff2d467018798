namespace TritonMesos.Image;

/// <summary>apt inside a Debian root file system on this host (host networking; containers here have none).</summary>
internal static class Chroot
{
    /// <summary>True when the process runs as root (debootstrap and chroot need it).</summary>
    public static bool IsRoot => Environment.UserName == "root";

    public static async Task AptAsync(string rootfs, IReadOnlyList<string> aptArgs, CancellationToken ct, string program = "apt-get")
    {
        Prepare(rootfs);
        await new HostCommand("chroot").WithArguments([rootfs, "env", "DEBIAN_FRONTEND=noninteractive", program, .. aptArgs])
            .WithPurpose($"{program} {string.Join(' ', aptArgs)} in {rootfs}").RunAsync(ct);
    }

    /// <summary>Name resolution and /dev/null, which apt needs inside the chroot.</summary>
    private static void Prepare(string rootfs)
    {
        var resolv = Path.Combine(rootfs, "etc/resolv.conf");
        if (File.Exists("/etc/resolv.conf"))
        {
            if (File.Exists(resolv) || new FileInfo(resolv).LinkTarget is not null)
                File.Delete(resolv);
            File.Copy("/etc/resolv.conf", resolv);
        }
        var devNull = Path.Combine(rootfs, "dev/null");
        if (!File.Exists(devNull))
        {
            Directory.CreateDirectory(Path.Combine(rootfs, "dev"));
            System.Diagnostics.Process.Start("mknod", ["-m", "666", devNull, "c", "1", "3"])!.WaitForExit();
        }
    }

    /// <summary>Removes apt lists, downloaded packages and the host's resolv.conf before the tree becomes an image.</summary>
    public static void Clean(string rootfs)
    {
        foreach (var dir in new[] { "var/lib/apt/lists", "var/cache/apt/archives" })
        {
            var full = Path.Combine(rootfs, dir);
            if (!Directory.Exists(full)) continue;
            foreach (var file in Directory.EnumerateFiles(full))
                File.Delete(file);
            var partial = Path.Combine(full, "partial");
            if (Directory.Exists(partial))
                foreach (var file in Directory.EnumerateFiles(partial))
                    File.Delete(file);
        }
        var aptCache = Path.Combine(rootfs, "var/cache/apt");
        if (Directory.Exists(aptCache))
            foreach (var bin in Directory.EnumerateFiles(aptCache, "*.bin"))
                File.Delete(bin);
        File.WriteAllText(Path.Combine(rootfs, "etc/resolv.conf"), "");
    }
}
