using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace TritonMesos.Build;

public abstract partial class NukeStyleBuild
{
    private const int ErrorExitCode = -1; // 255 on Unix, as NUKE

    /// <summary>Runs the build; the environment and working directory are passed in so tests can run builds in-process.</summary>
    internal int Run(string[] args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Log.Reset();
        var parameters = new ParameterService(new ArgumentParser(args), environment);
        var finished = false;
        var printSummary = false;

        void Finish()
        {
            if (finished || !printSummary)
                return;
            finished = true;
            foreach (var target in ExecutionPlan)
            {
                target.Stopwatch.Stop();
                target.Status = target.Status switch
                {
                    ExecutionStatus.Running => ExecutionStatus.Aborted,
                    ExecutionStatus.Scheduled => ExecutionStatus.NotRun,
                    _ => target.Status,
                };
            }
            WriteErrorsAndWarnings();
            foreach (var (status, line) in HostOutput.TargetOutcome(ExecutionPlan))
                WriteStatusLine(status, line);
            Log.Plain();
            var outcome = HostOutput.BuildOutcome(IsSucceeding, DateTime.Now);
            if (IsSucceeding)
                Log.Success(outcome);
            else
                Log.Failure(outcome);
        }

        void OnCancel(object? sender, ConsoleCancelEventArgs e) => Finish();

        try
        {
            BindParameters(parameters, workingDirectory);
            ExecutableTargets = CreateTargets();
            if (!NoLogo)
                WriteLogo();
            ExecutionPlan = ExecutionPlanner.GetExecutionPlan(ExecutableTargets, TargetNames);
            parameters.Warnings.ForEach(Log.Warning);

            if (Help || ExecutionPlan.Count == 0)
            {
                Log.Plain(HostOutput.TargetsText(ExecutableTargets));
                Log.Plain(HostOutput.ParametersText(ParameterService.GetParameterMembers(GetType(), includeUnlisted: false), ConsoleWidth()));
                return 0;
            }

            if (SkipNames is not null)
            {
                var skip = SkipNames.Select(s => s.Replace("-", "")).ToList();
                foreach (var target in ExecutionPlan.Where(t => skip.Count == 0 || skip.Contains(t.Name, StringComparer.OrdinalIgnoreCase)))
                    MarkTargetSkipped(target, "via parameter");
            }

            if (Plan)
            {
                var text = HostOutput.PlanText(ExecutionPlan, ParameterValues(parameters));
                Log.Plain(text);
                Directory.CreateDirectory(TemporaryDirectory);
                File.WriteAllText(Path.Combine(TemporaryDirectory, "execution-plan.txt"), text);
                return 0;
            }

            printSummary = true;
            var previouslyExecuted = UpdateInvocationHash(args);
            Console.CancelKeyPress += OnCancel;
            foreach (var target in ExecutionPlan)
                ExecuteTarget(target, previouslyExecuted);
            return IsSucceeding ? 0 : ErrorExitCode;
        }
        catch (TargetExecutionException)
        {
            return ErrorExitCode;
        }
        catch (BuildException e)
        {
            Log.Error(e.ToString());
            return ErrorExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
            Finish();
        }
    }

    private void BindParameters(ParameterService parameters, string workingDirectory)
    {
        var members = ParameterService.GetParameterMembers(GetType());
        ParameterMember Member(string name) => members.Single(m => m.MemberName == name);

        // The root and the profiles come first: they decide which parameter files are read.
        RootDirectory = ResolveRoot(parameters, workingDirectory);
        BindParameter(parameters, Member("Profile"));
        parameters.LoadParameterFiles(Path.Combine(RootDirectory, ".nuke"), LoadedLocalProfiles);
        foreach (var member in members.Where(m => m.MemberName is not ("Root" or "Profile")))
            BindParameter(parameters, member);
        Log.Verbosity = Verbosity;
    }

    private void BindParameter(ParameterService parameters, ParameterMember member)
    {
        var value = parameters.GetParameter(member.MemberName, member.Type, member.Separator, positionalForTargets: member.MemberName == "Target");
        if (value is not null)
            member.SetValue(this, value);
    }

    private string ResolveRoot(ParameterService parameters, string workingDirectory)
    {
        var arguments = parameters.Arguments;
        if (arguments.GetNamedValues("Root") is { } values)
            return values.Length == 0 ? workingDirectory : Path.GetFullPath(values[0], workingDirectory);
        if (parameters.GetParameter("Root", typeof(string), null) is string fromEnvironmentOrFile && fromEnvironmentOrFile.Length > 0)
            return Path.GetFullPath(fromEnvironmentOrFile, workingDirectory);
        // Then the directory of build.cs (dotnet run build.cs) and of the compiled build (.nuke/temp/build-bin, ./build.sh).
        var entryPointDirectory = AppContext.GetData("EntryPointFileDirectoryPath") as string;
        foreach (var start in new[] { workingDirectory, entryPointDirectory, AppContext.BaseDirectory }.OfType<string>())
            if (TryGetRootDirectoryFrom(start) is { } root)
                return root;
        throw new BuildException($"Could not locate '.nuke' directory/file while walking up from '{workingDirectory}'. " +
                                 "Either create a directory/file to mark the root directory, or add '--root [path]' to the invocation.");
    }

    /// <summary>The first directory from <paramref name="start"/> upwards that holds a <c>.nuke</c> directory (not the global <c>~/.nuke</c>).</summary>
    public static string? TryGetRootDirectoryFrom(string start)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (string.Equals(directory.FullName.TrimEnd('/'), home.TrimEnd('/'), StringComparison.Ordinal))
                continue;
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")) || File.Exists(Path.Combine(directory.FullName, ".nuke")))
                return directory.FullName;
        }
        return null;
    }

    private List<ExecutableTarget> CreateTargets()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var properties = new List<PropertyInfo>();
        for (var type = GetType(); type is not null && type != typeof(NukeStyleBuild); type = type.BaseType)
            properties.InsertRange(0, type.GetProperties(flags | BindingFlags.DeclaredOnly).Where(p => p.PropertyType == typeof(Target)));
        var targets = new List<ExecutableTarget>();
        foreach (var property in properties)
        {
            var factory = (Target)property.GetValue(this)!;
            var definition = new TargetDefinition();
            factory(definition);
            targets.Add(new ExecutableTarget(property.Name, factory, definition));
        }

        ExecutableTarget Find(Target factory, ExecutableTarget from) =>
            targets.SingleOrDefault(t => t.Factory.Equals(factory))
            ?? throw new BuildException($"Target '{from.Name}' refers to a target that is not a Target property of {GetType().Name}");

        foreach (var target in targets)
        {
            target.ExecutionDependencies.AddRange(target.Definition.DependsOnTargets.Select(f => Find(f, target)).Distinct());
            target.OrderDependencies.AddRange(target.Definition.AfterTargets.Select(f => Find(f, target)).Distinct());
            if (target.AllDependencies.Contains(target))
                throw new BuildException($"Target '{target.Name}' cannot have a dependency on itself");
        }
        return targets;
    }

    private void WriteLogo()
    {
        var version = typeof(NukeStyleBuild).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        Log.Muted($"TritonMesos.Build {version} · NUKE-compatible target runner (root: {RootDirectory})");
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? int.MaxValue : Math.Max(Console.BufferWidth, 40);
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    private List<(string Name, string Value, string Source)> ParameterValues(ParameterService parameters) =>
        ParameterService.GetParameterMembers(GetType())
            .Where(m => parameters.Sources.ContainsKey(m.MemberName))
            .Select(m => (m.DashedName, Format(m.GetValue(this)), parameters.Sources[m.MemberName]))
            .ToList();

    private static string Format(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        Array a => string.Join(" ", a.Cast<object?>().Select(Format)),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };

    private void MarkTargetSkipped(ExecutableTarget target, string? reason = null)
    {
        if (target.Status != ExecutionStatus.Scheduled)
            return;
        if (!target.Invoked)
        {
            target.Status = ExecutionStatus.Skipped;
            target.SkipReason ??= reason;
        }
        bool HasOtherDependents(ExecutableTarget dependency) =>
            ExecutionPlan.Where(t => t != target && t.Status == ExecutionStatus.Scheduled).Any(t => t.ExecutionDependencies.Contains(dependency));

        foreach (var dependency in target.ExecutionDependencies.Where(d => !HasOtherDependents(d)).ToList())
            MarkTargetSkipped(dependency, $"because of {target.Name}");
    }

    private IReadOnlyList<string> UpdateInvocationHash(string[] args)
    {
        // NUKE hashes the positional arguments plus "--continue" itself, so a failed run without --continue can never be
        // continued; here the hash leaves --continue out, so `./build.sh Test` then `./build.sh Test --continue` works.
        var invocation = string.Join(" ", args.Where(a => !a.StartsWith('-')));
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(invocation)));
        var file = Path.Combine(TemporaryDirectory, "build-attempt.log");
        IReadOnlyList<string> previous = [];
        if (Continue && File.Exists(file))
        {
            var lines = File.ReadAllLines(file);
            if (lines.FirstOrDefault() != hash)
                Log.Warning("Build invocation changed. Restarting ...");
            else
                previous = lines.Skip(1).ToList();
        }
        Directory.CreateDirectory(TemporaryDirectory);
        File.WriteAllLines(file, new[] { hash }.Concat(previous));
        return previous;
    }

    private void ExecuteTarget(ExecutableTarget target, IReadOnlyList<string> previouslyExecuted)
    {
        if (target.Status == ExecutionStatus.Skipped)
            return;
        if (previouslyExecuted.Contains(target.Name))
        {
            target.Status = ExecutionStatus.Skipped;
            target.SkipReason = "succeeded in the previous attempt (--continue)";
            return;
        }
        if (target.Definition.Actions.Count == 0)
        {
            target.Status = ExecutionStatus.Collective;
            return;
        }

        Log.Plain(HostOutput.Block(target.Name));
        CurrentTarget = target;
        target.Stopwatch.Start();
        target.Status = ExecutionStatus.Running;
        try
        {
            foreach (var action in target.Definition.Actions)
                action().GetAwaiter().GetResult();
            target.Stopwatch.Stop();
            target.Status = ExecutionStatus.Succeeded;
            File.AppendAllLines(Path.Combine(TemporaryDirectory, "build-attempt.log"), [target.Name]);
        }
        catch (Exception exception)
        {
            var e = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
                e = aggregate.InnerExceptions[0];
            if (target.SummaryInformation.Count == 0)
                target.SummaryInformation.Add(new(e.GetType().Name, e.Message.Split('\n')[0].TrimEnd('\r')));
            // The exception says how it is shown: a user-facing one overrides ToString() to drop the stack trace.
            Log.Error($"Target {target.Name} has thrown an exception{Environment.NewLine}{e}");
            target.Stopwatch.Stop();
            target.Status = ExecutionStatus.Failed;
            throw new TargetExecutionException(target.Name, e);
        }
        finally
        {
            CurrentTarget = null;
        }
    }

    private static void WriteErrorsAndWarnings()
    {
        var events = Log.WarningsAndErrors;
        if (events.Count == 0)
            return;
        Log.Plain(HostOutput.Block("Errors & Warnings"));
        foreach (var (isError, text) in events)
            if (isError)
                Log.Failure(text);
            else
                Log.Caution(text);
    }

    private static void WriteStatusLine(ExecutionStatus? status, string line)
    {
        switch (status)
        {
            case ExecutionStatus.Skipped: Log.Muted(line); break;
            case ExecutionStatus.Succeeded: Log.Success(line); break;
            case ExecutionStatus.Aborted or ExecutionStatus.NotRun: Log.Caution(line); break;
            case ExecutionStatus.Failed: Log.Failure(line); break;
            default: Log.Plain(line); break;
        }
    }
}

/// <summary>Raised when a target fails and the build stops.</summary>
public sealed class TargetExecutionException(string targetName, Exception inner)
    : Exception($"Target '{targetName}' has thrown an exception", inner);
