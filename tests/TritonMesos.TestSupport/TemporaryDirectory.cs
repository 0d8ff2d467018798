namespace TritonMesos.TestSupport;

/// <summary>Deletes a directory tree when disposed (tests' scratch space).</summary>
public sealed class TemporaryDirectory(DirectoryInfo directory) : IDisposable
{
    public string Path => directory.FullName;

    public void Dispose()
    {
        if (directory.Exists)
            directory.Delete(recursive: true);
    }
}
