namespace TritonMesos.Build;

/// <summary>How much the build prints (NUKE's Verbosity).</summary>
public enum Verbosity
{
    Verbose,
    Normal,
    Minimal,
    Quiet,
}

/// <summary>Console output of the build: coloured when the console is a terminal; warnings and errors are kept for the closing block.</summary>
public static class Log
{
    private static readonly object Gate = new();
    private static readonly List<(bool IsError, string Text)> Recorded = [];

    /// <summary>The current verbosity; Verbose shows <see cref="Debug"/> lines, Minimal hides information, Quiet hides warnings.</summary>
    public static Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>Where output goes (the console by default; tests redirect it).</summary>
    public static TextWriter Out { get; set; } = Console.Out;

    /// <summary>True when colours are written.</summary>
    public static bool UseColors { get; set; } =
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb";

    internal static IReadOnlyList<(bool IsError, string Text)> WarningsAndErrors
    {
        get { lock (Gate) return Recorded.ToList(); }
    }

    internal static void Reset()
    {
        lock (Gate) Recorded.Clear();
    }

    /// <summary>A detail line, shown with <c>--verbosity verbose</c>.</summary>
    public static void Debug(string text = "")
    {
        if (Verbosity == Verbosity.Verbose)
            Write(text, "\e[90m");
    }

    /// <summary>A line shown unless verbosity is minimal or quiet.</summary>
    public static void Information(string text = "")
    {
        if (Verbosity <= Verbosity.Normal)
            Write(text, null);
    }

    /// <summary>A warning; repeated in the "Errors &amp; Warnings" block at the end.</summary>
    public static void Warning(string text)
    {
        lock (Gate) Recorded.Add((false, text));
        if (Verbosity <= Verbosity.Minimal)
            Write(text, "\e[33m");
    }

    /// <summary>An error; repeated in the "Errors &amp; Warnings" block at the end.</summary>
    public static void Error(string text)
    {
        lock (Gate) Recorded.Add((true, text));
        Write(text, "\e[31m");
    }

    internal static void Success(string text) => Write(text, "\e[32m");

    internal static void Plain(string text = "") => Write(text, null);

    internal static void Muted(string text = "") => Write(text, "\e[90m");

    internal static void Caution(string text) => Write(text, "\e[33m");

    internal static void Failure(string text) => Write(text, "\e[31m");

    private static void Write(string text, string? color)
    {
        lock (Gate)
        {
            if (UseColors && color is not null && text.Length > 0)
                Out.WriteLine(color + text.Replace("\n", "\e[0m\n" + color) + "\e[0m");
            else
                Out.WriteLine(text);
            Out.Flush();
        }
    }
}
