namespace TritonMesos;

/// <summary>A user-facing failure: what went wrong, where (file, line, patch or request) and what to do next.</summary>
public sealed class TritonMesosException : Exception
{
    /// <summary>The file the problem is in, if any.</summary>
    public string? File { get; }

    /// <summary>The 1-based line in <see cref="File"/>, if known.</summary>
    public int? Line { get; }

    /// <summary>What the user can do about it, if we know.</summary>
    public string? NextStep { get; }

    /// <summary>Process exit code a command should end with.</summary>
    public int ExitCode { get; }

    public TritonMesosException(string message, string? file = null, int? line = null, string? nextStep = null,
        int exitCode = 1, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
        NextStep = nextStep;
        ExitCode = exitCode;
    }

    /// <summary>The rendered message without a stack trace: a user-facing failure is not a bug.</summary>
    public override string ToString() => Render();

    /// <summary>The message as printed: "file:line: message" plus the next step on its own line.</summary>
    public string Render()
    {
        var where = File is null ? "" : Line is null ? $"{File}: " : $"{File}:{Line}: ";
        return NextStep is null ? where + Message : $"{where}{Message}{Environment.NewLine}  next: {NextStep}";
    }
}
