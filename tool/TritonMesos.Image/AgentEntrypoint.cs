using System.Collections;
using System.Runtime.InteropServices;

namespace TritonMesos.Image;

/// <summary>What the entrypoint will run: program, arguments, environment (and, for <c>flags</c>, only text to print).</summary>
public sealed record EntrypointPlan(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment,
    string? PrintOnly = null);

/// <summary>
/// The image entrypoint (run by tini as PID 1's child). <c>agent [--flag…]</c> (the default) renders the profile named by
/// TRITON_MESOS_PROFILE with the same <see cref="FlagRenderer"/> as <c>triton-mesos flags</c>, applies MESOS_* environment
/// and command-line overrides, validates everything against the shipped flag catalog and execs mesos-agent.
/// <c>master [--flag…]</c> does the same with the master profile named by TRITON_MESOS_MASTER_PROFILE (default
/// <c>master</c>) and execs mesos-master. <c>flags [master] [--env]</c> prints the rendered command line; anything else is
/// exec'd as given (mesos-master, mesos-execute, sh…).
/// </summary>
public static class AgentEntrypoint
{
    /// <summary>Where the agent binary is installed in the image.</summary>
    public const string AgentBinary = "/usr/local/sbin/mesos-agent";

    /// <summary>Where the master binary is installed in the image.</summary>
    public const string MasterBinary = "/usr/local/sbin/mesos-master";

    /// <summary>Names the agent's profile (default <c>triton</c>).</summary>
    public const string AgentProfileVariable = "TRITON_MESOS_PROFILE";

    /// <summary>Names the master's profile (default <c>master</c>).</summary>
    public const string MasterProfileVariable = "TRITON_MESOS_MASTER_PROFILE";

    /// <summary>Works out what to run; throws <see cref="TritonMesosException"/> for an invalid profile or override.</summary>
    public static EntrypointPlan Plan(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string home,
        string agentBinary = AgentBinary, string masterBinary = MasterBinary)
    {
        var mode = args.Count == 0 ? "agent" : args[0];
        var rest = args.Skip(1).ToList();
        if (mode is not ("agent" or "master" or "flags"))
            return new EntrypointPlan(mode, rest, environment);
        var program = mode == "master" || (mode == "flags" && rest.Remove("master")) ? FlagSide.Master : FlagSide.Agent;
        var binary = program == FlagSide.Master ? masterBinary : agentBinary;
        if (rest.Any(a => a is "--help" or "-h" or "--version"))
            return new EntrypointPlan(binary, rest.Where(a => a is "--help" or "-h" or "--version").Take(1).Select(a => a == "-h" ? "--help" : a).ToList(), environment);
        var catalogPath = Path.Combine(home, FlagCatalog.FileName);
        var catalog = FlagCatalog.Load(catalogPath);
        var (variable, fallback) = program == FlagSide.Master ? (MasterProfileVariable, "master") : (AgentProfileVariable, "triton");
        var profileName = environment.GetValueOrDefault(variable) is { Length: > 0 } p ? p : fallback;
        var profile = Profile.Load(Profile.Resolve(profileName, Path.Combine(home, Profile.DirectoryName)));
        if (profile.Program != program)
            throw new TritonMesosException(
                $"profile '{profile.Name}' is {Article(profile.Program)} profile, but the entrypoint was asked for the {Side(program)} ({mode})",
                profile.Path, nextStep: $"name a {Side(program)} profile in {variable}, or run the image with `{Side(profile.Program)}`");
        var printEnvironment = mode == "flags" && rest.Remove("--env");
        var sets = rest.Select(ToSet).ToList();
        var result = new FlagRenderer(catalog, catalogPath).Render(profile, sets, environment, environmentOverrides: true);
        if (mode == "flags")
        {
            var text = printEnvironment ? result.ToEnvironmentText() : result.ToCommandLineText();
            return new EntrypointPlan("", [], environment, text);
        }
        result.RequireComplete();
        // Every flag goes on the command line; MESOS_* variables are dropped so executors do not inherit them.
        var env = environment.Where(e => !e.Key.StartsWith("MESOS_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return new EntrypointPlan(binary, result.Flags.Select(f => f.ToArgument()).ToList(), env);
    }

    private static string Side(FlagSide program) => program == FlagSide.Master ? "master" : "agent";

    private static string Article(FlagSide program) => program == FlagSide.Master ? "a master" : "an agent";

    /// <summary>A command-line override as a <c>--set</c> value: <c>--a=b</c> → <c>a=b</c>, <c>--a</c> → <c>a=true</c>, <c>--no-a</c> → <c>a=false</c>.</summary>
    public static string ToSet(string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal))
            throw new TritonMesosException($"unexpected argument '{argument}': the agent takes --flag=value overrides",
                nextStep: "e.g. docker run … triton-mesos-agent agent --port=5052");
        var body = argument[2..];
        if (body.Contains('='))
            return body;
        return body.StartsWith("no-", StringComparison.Ordinal) ? body[3..] + "=false" : body + "=true";
    }

    /// <summary>Runs the entrypoint: plans, then prints or replaces this process with the program (execve).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var home = Environment.GetEnvironmentVariable("TRITON_MESOS_HOME") is { Length: > 0 } h ? h : AppContext.BaseDirectory;
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        EntrypointPlan plan;
        try
        {
            plan = Plan(args, environment, home);
        }
        catch (TritonMesosException e)
        {
            stderr.WriteLine("triton-mesos-entrypoint: error: " + e.Render());
            return e.ExitCode;
        }
        if (plan.PrintOnly is not null)
        {
            stdout.Write(plan.PrintOnly);
            return 0;
        }
        var program = Resolve(plan.Program, environment.GetValueOrDefault("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (program is null)
        {
            stderr.WriteLine($"triton-mesos-entrypoint: error: '{plan.Program}' not found (modes: agent [--flag=value…], master [--flag=value…], flags [master] [--env], or a program such as mesos-master)");
            return 127;
        }
        if (plan.Program is AgentBinary or MasterBinary)
            stderr.WriteLine($"triton-mesos-entrypoint: {program} {string.Join(' ', plan.Arguments)}");
        stdout.Flush();
        stderr.Flush();
        string?[] argv = [program, .. plan.Arguments, null];
        string?[] envp = [.. plan.Environment.Select(e => $"{e.Key}={e.Value}"), null];
        execve(program, argv, envp);
        stderr.WriteLine($"triton-mesos-entrypoint: error: execve {program} failed: errno {Marshal.GetLastPInvokeError()}");
        return 126;
    }

    private static string? Resolve(string program, string path)
    {
        if (program.Contains('/'))
            return File.Exists(program) ? program : null;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve(string path, string?[] argv, string?[] envp);
}
