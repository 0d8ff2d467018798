namespace TritonMesos.Pipeline;

/// <summary>An exclusive OS file lock (<c>flock</c> on Unix) next to a directory; released when the process dies.</summary>
internal sealed class WorkDirLock : IDisposable
{
    private readonly FileStream _stream;

    private WorkDirLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock <c>&lt;directory&gt;.lock</c> or throws naming the directory and the other run.</summary>
    public static WorkDirLock Acquire(string directory, string what)
    {
        var path = directory.TrimEnd(Path.DirectorySeparatorChar) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var text = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n");
            stream.Write(text);
            stream.Flush();
            return new WorkDirLock(stream);
        }
        catch (IOException e)
        {
            throw new TritonMesosException($"another triton-mesos run is using {what} {directory} (it holds the lock file)", path,
                nextStep: "wait for the other run to finish and try again; the lock is released automatically when that process ends",
                inner: e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
