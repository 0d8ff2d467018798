namespace TritonMesos.Build;

/// <summary>
/// NUKE's argument grammar: a token starting with '-' is a named argument whose values run up to the next such token;
/// names match with dashes removed, case-insensitively; the last occurrence wins; tokens before the first named
/// argument are positional (the targets).
/// </summary>
public sealed class ArgumentParser(IReadOnlyList<string> arguments)
{
    /// <summary>The raw arguments.</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;

    /// <summary>True for a named-argument token.</summary>
    public static bool IsArgument(string? value) => value is not null && value.StartsWith('-');

    /// <summary>The member name an argument names: dashes removed.</summary>
    public static string GetArgumentMemberName(string name) => name.Replace("-", "");

    /// <summary>True when the argument is given (in any spelling).</summary>
    public bool HasArgument(string name) => GetArgumentIndex(name) >= 0;

    /// <summary>The values following the last occurrence of the argument, or null when absent.</summary>
    public string[]? GetNamedValues(string name)
    {
        var index = GetArgumentIndex(name);
        return index < 0 ? null : Arguments.Skip(index + 1).TakeWhile(a => !IsArgument(a)).ToArray();
    }

    /// <summary>All tokens before the first named argument.</summary>
    public string[] PositionalArguments => Arguments.TakeWhile(a => !IsArgument(a)).ToArray();

    /// <summary>The named argument converted to <paramref name="type"/>; null when absent.</summary>
    public object? GetNamedArgument(string name, Type type, char? separator = null)
    {
        var values = GetNamedValues(name);
        return values is null ? null : Convert(name, values, type, separator);
    }

    /// <summary>The positional arguments converted to <paramref name="type"/>; null when there are none.</summary>
    public object? GetAllPositionalArguments(Type type, char? separator = null)
    {
        var values = PositionalArguments;
        return values.Length == 0 ? null : Convert("$all-positional", values, type, separator);
    }

    private int GetArgumentIndex(string name)
    {
        var member = GetArgumentMemberName(name);
        for (var i = Arguments.Count - 1; i >= 0; i--)
            if (IsArgument(Arguments[i]) && string.Equals(GetArgumentMemberName(Arguments[i]), member, StringComparison.OrdinalIgnoreCase))
                return i;
        return -1;
    }

    private object? Convert(string name, string[] values, Type type, char? separator)
    {
        if (values.Length > 1 && separator is { } s && values.Any(v => v.Contains(s)))
            throw new BuildException($"Argument '{name}' with value [ {string.Join(", ", values)} ] cannot be split with separator '{s}'");
        if (separator is { } sep && values.Any(v => v.Contains(sep)))
            values = values.Single().Split(sep);
        try
        {
            return ValueConverter.Convert(values, type, booleanDefault: true);
        }
        catch (BuildException e)
        {
            throw new BuildException(string.Join(Environment.NewLine,
                new[] { $"Resolving argument '{name}' failed.", e.Message, "Arguments were:" }
                    .Concat(Arguments.Select((a, i) => $"  [{i}] = {a}"))));
        }
    }
}
