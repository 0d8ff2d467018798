namespace TritonMesos.Endpoint;

/// <summary>A Triton package: a named size that <c>--memory</c> is rounded up to.</summary>
public sealed record TritonPackage(string Name, long MemoryMiB)
{
    /// <summary>The default <c>sample-*</c> packages of a Triton installation (config.packagePrefix <c>sample-</c>).</summary>
    public static IReadOnlyList<TritonPackage> Samples { get; } =
    [
        new("sample-128M", 128), new("sample-256M", 256), new("sample-512M", 512), new("sample-1G", 1024),
        new("sample-2G", 2048), new("sample-4G", 4096), new("sample-8G", 8192), new("sample-16G", 16384),
        new("sample-32G", 32768), new("sample-64G", 65536),
    ];

    /// <summary>Triton's default memory target (SAPI DEFAULT_MEMORY) when <c>--memory</c> is 0 or absent.</summary>
    public const long DefaultMemoryMiB = 1024;
}
