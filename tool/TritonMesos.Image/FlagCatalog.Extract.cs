using System.Text;
using System.Text.RegularExpressions;

namespace TritonMesos.Image;

public sealed partial record FlagCatalog
{
    /// <summary>Preprocessor symbols defined for a Linux build configured like Dockerfile.slave (no SSL, no optional isolators).</summary>
    public static readonly IReadOnlyList<string> LinuxDefines = ["__linux__"];

    /// <summary>
    /// Reads the flag declarations of a (patched) Mesos tree: <c>src/slave/flags.cpp</c>, <c>src/master/flags.cpp</c>, the
    /// <c>src/logging/flags.cpp</c> both inherit, and stout's built-in <c>help</c>; types come from the matching <c>flags.hpp</c>.
    /// Flags inside <c>#ifdef</c> branches that are off for <paramref name="defines"/> go to <see cref="Unavailable"/>.
    /// </summary>
    public static FlagCatalog Extract(string treePath, IEnumerable<string>? defines = null)
    {
        var defined = new HashSet<string>(defines ?? LinuxDefines, StringComparer.Ordinal);
        if (!Directory.Exists(treePath))
            throw new TritonMesosException("Mesos tree not found", treePath,
                nextStep: "run `./build.sh Patch` first, or pass the patched tree (e.g. .work/mesos)");
        var unavailable = new List<FlagDefinition>();
        var logging = ExtractFile(treePath, "src/logging/flags.cpp", defined, unavailable);
        var agent = ExtractFile(treePath, "src/slave/flags.cpp", defined, unavailable);
        var master = ExtractFile(treePath, "src/master/flags.cpp", defined, unavailable);
        var help = new FlagDefinition("help", "bool", "false", null, "3rdparty/stout/include/stout/flags/flags.hpp", 0);
        return new FlagCatalog(ReadVersion(treePath), defined.Order(StringComparer.Ordinal).ToList(),
            Merge(agent, logging, help), Merge(master, logging, help),
            unavailable.DistinctBy(f => f.Name).ToList());
    }

    private static List<FlagDefinition> Merge(List<FlagDefinition> own, List<FlagDefinition> inherited, FlagDefinition help) =>
        own.Concat(inherited).Append(help).DistinctBy(f => f.Name).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"AC_INIT\(\[mesos\],\s*\[(?<v>[^\]]+)\]")]
    private static partial Regex AcInit();

    private static string? ReadVersion(string treePath)
    {
        var configure = Path.Combine(treePath, "configure.ac");
        return File.Exists(configure) && AcInit().Match(File.ReadAllText(configure)) is { Success: true } m ? m.Groups["v"].Value : null;
    }

    /// <summary>Extracts the flags added in one <c>flags.cpp</c>; its <c>flags.hpp</c> beside it supplies the member types.</summary>
    public static List<FlagDefinition> ExtractFile(string treePath, string relativePath, ISet<string> defined, List<FlagDefinition> unavailable)
    {
        var cpp = Path.Combine(treePath, relativePath);
        if (!File.Exists(cpp))
            throw new TritonMesosException("flags source not found in the Mesos tree", cpp,
                nextStep: "pass the root of a Mesos source tree (the directory with configure.ac and src/)");
        var text = File.ReadAllText(cpp).Replace("\r\n", "\n");
        var hpp = Path.ChangeExtension(cpp, ".hpp");
        var types = File.Exists(hpp) ? ReadMemberTypes(File.ReadAllText(hpp)) : new Dictionary<string, string>();
        var conditions = PreprocessorConditions(text, defined);

        var flags = new List<FlagDefinition>();
        var unavailableBefore = unavailable.Count;
        foreach (Match m in AddCallHead().Matches(text))
        {
            var line = LineOf(text, m.Index);
            var args = SplitArguments(text, text.IndexOf('(', m.Index), cpp, line);
            if (args.Count < 3)
                throw new TritonMesosException($"cannot read the flag declaration (expected member, name, help): {Shorten(text, m.Index)}", cpp, line);
            var member = args[0].Trim().Split("::")[^1];
            var name = StringLiteral(args[1]) ?? throw new TritonMesosException(
                $"flag name is not a string literal: {args[1].Trim()}", cpp, line);
            var index = 2;
            string? alias = null;
            if (DeprecatedName().Match(args[index]) is { Success: true } dn)
            {
                alias = dn.Groups["alias"].Value;
                index++;
            }
            index++; // help text
            string? @default = null;
            if (index < args.Count && !args[index].TrimStart().StartsWith('['))
                @default = NormalizeDefault(ActiveLines(args[index], defined));
            var type = types.GetValueOrDefault(member) ?? "unknown";
            var (condition, enabled) = conditions(line);
            var flag = new FlagDefinition(name, type, @default, alias, relativePath.Replace('\\', '/'), line, condition);
            if (enabled)
                flags.Add(flag);
            else
                unavailable.Add(flag);
        }
        if (flags.Count == 0 && unavailable.Count == unavailableBefore)
            throw new TritonMesosException("no `add(&Flags::…)` declarations found", cpp,
                nextStep: "is this a Mesos flags.cpp? the catalog reads `add(&Flags::member, \"name\", \"help\", default)` calls");
        return flags;
    }

    [GeneratedRegex(@"\badd\(\s*&\s*(?:\w+::)*Flags(?:Base)?::\w+\s*,", RegexOptions.None)]
    private static partial Regex AddCallHead();

    [GeneratedRegex(@"^\s*(?:flags::)?DeprecatedName\(\s*""(?<alias>[^""]*)""\s*\)\s*$")]
    private static partial Regex DeprecatedName();

    [GeneratedRegex(@"^[ \t]*(?<type>(?:const\s+)?[A-Za-z_][\w:]*(?:<[^;{}()]*>)?)[ \t]+(?<name>[A-Za-z_]\w*)[ \t]*;", RegexOptions.Multiline)]
    private static partial Regex MemberDeclaration();

    private static Dictionary<string, string> ReadMemberTypes(string header)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in MemberDeclaration().Matches(header))
        {
            var type = Regex.Replace(m.Groups["type"].Value, @"\s+", " ").Trim();
            if (type is "return" or "using" or "typedef" or "class" or "struct" or "namespace")
                continue;
            types[m.Groups["name"].Value] = type;
        }
        return types;
    }

    /// <summary>Splits the argument list that starts at the '(' at <paramref name="open"/>, honouring nesting, literals and comments.</summary>
    private static List<string> SplitArguments(string text, int open, string file, int line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                current.Append(' ');
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 1;
                current.Append(' ');
                continue;
            }
            if (c is '"' or '\'')
            {
                var start = i;
                for (i++; i < text.Length && text[i] != c; i++)
                    if (text[i] == '\\') i++;
                current.Append(text, start, Math.Min(i, text.Length - 1) - start + 1);
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    args.Add(current.ToString());
                    return args;
                }
                depth--;
            }
            if (c == ',' && depth == 0)
            {
                args.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        throw new TritonMesosException("unterminated `add(` call", file, line);
    }

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Literal();

    /// <summary>The value of a (possibly concatenated) string literal argument, or null if it is something else.</summary>
    private static string? StringLiteral(string arg)
    {
        var trimmed = arg.Trim();
        if (!trimmed.StartsWith('"'))
            return null;
        var rest = Literal().Replace(trimmed, "").Trim();
        if (rest.Length > 0)
            return null;
        return string.Concat(Literal().Matches(trimmed).Select(m => Regex.Unescape(m.Groups[1].Value)));
    }

    /// <summary>Keeps the lines of an argument that a build with <paramref name="defined"/> compiles (defaults inside #ifdef).</summary>
    private static string ActiveLines(string arg, ISet<string> defined)
    {
        if (!arg.Contains('#'))
            return arg;
        var kept = new List<string>();
        var stack = new List<(bool Holds, bool Taken)>();
        foreach (var raw in arg.Split('\n'))
        {
            var l = raw.Trim();
            if (!l.StartsWith('#'))
            {
                if (stack.All(s => s.Holds))
                    kept.Add(raw);
                continue;
            }
            var directive = l[1..].TrimStart();
            var comment = directive.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0) directive = directive[..comment].Trim();
            if (directive.StartsWith("ifdef ", StringComparison.Ordinal)) { var h = defined.Contains(directive[6..].Trim()); stack.Add((h, h)); }
            else if (directive.StartsWith("ifndef ", StringComparison.Ordinal)) { var h = !defined.Contains(directive[7..].Trim()); stack.Add((h, h)); }
            else if (directive.StartsWith("if ", StringComparison.Ordinal)) { var h = Evaluate(directive[3..].Trim(), defined).Holds; stack.Add((h, h)); }
            else if (directive.StartsWith("elif ", StringComparison.Ordinal) && stack.Count > 0)
            {
                var h = !stack[^1].Taken && Evaluate(directive[5..].Trim(), defined).Holds;
                stack[^1] = (h, stack[^1].Taken || h);
            }
            else if (directive == "else" && stack.Count > 0) stack[^1] = (!stack[^1].Taken, true);
            else if (directive == "endif" && stack.Count > 0) stack.RemoveAt(stack.Count - 1);
        }
        return string.Join('\n', kept);
    }

    private static string NormalizeDefault(string arg) =>
        StringLiteral(arg) ?? Regex.Replace(arg.Trim(), @"\s+", " ");

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index; i++)
            if (text[i] == '\n') line++;
        return line;
    }

    private static string Shorten(string text, int index)
    {
        var end = text.IndexOf('\n', index);
        return text[index..(end < 0 ? text.Length : end)].Trim();
    }

    /// <summary>For each line: the enclosing #if conditions (as text) and whether they hold for <paramref name="defined"/>.</summary>
    private static Func<int, (string? Condition, bool Enabled)> PreprocessorConditions(string text, ISet<string> defined)
    {
        var lines = text.Split('\n');
        var perLine = new (string? Condition, bool Enabled)[lines.Length + 2];
        var stack = new List<(string Expression, bool Holds)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var l = lines[i].Trim();
            if (l.StartsWith('#'))
            {
                var directive = l[1..].TrimStart();
                var comment = directive.IndexOf("//", StringComparison.Ordinal);
                if (comment >= 0) directive = directive[..comment].Trim();
                if (directive.StartsWith("ifdef ", StringComparison.Ordinal))
                    stack.Add(Condition(directive[6..].Trim(), defined, negate: false));
                else if (directive.StartsWith("ifndef ", StringComparison.Ordinal))
                    stack.Add(Condition(directive[7..].Trim(), defined, negate: true));
                else if (directive.StartsWith("if ", StringComparison.Ordinal))
                    stack.Add(Evaluate(directive[3..].Trim(), defined));
                else if (directive.StartsWith("elif ", StringComparison.Ordinal) && stack.Count > 0)
                {
                    var previous = stack[^1];
                    var next = Evaluate(directive[5..].Trim(), defined);
                    stack[^1] = ($"!({previous.Expression}) && {next.Expression}", !previous.Holds && next.Holds);
                }
                else if (directive == "else" && stack.Count > 0)
                    stack[^1] = ($"!({stack[^1].Expression})", !stack[^1].Holds);
                else if (directive == "endif" && stack.Count > 0)
                    stack.RemoveAt(stack.Count - 1);
            }
            perLine[i + 1] = stack.Count == 0
                ? (null, true)
                : (string.Join(" && ", stack.Select(s => s.Expression)), stack.All(s => s.Holds));
        }
        return line => line >= 0 && line < perLine.Length ? perLine[line] : (null, true);
    }

    private static (string Expression, bool Holds) Condition(string symbol, ISet<string> defined, bool negate) =>
        negate ? ($"!{symbol}", !defined.Contains(symbol)) : (symbol, defined.Contains(symbol));

    /// <summary>Evaluates the #if forms used in Mesos' flags files: symbols, defined(X), !, &amp;&amp; and ||.</summary>
    private static (string Expression, bool Holds) Evaluate(string expression, ISet<string> defined)
    {
        var holds = expression.Split("||").Any(any => any.Split("&&").All(term =>
        {
            var t = term.Trim();
            var negate = false;
            while (t.StartsWith('!'))
            {
                negate = !negate;
                t = t[1..].Trim();
            }
            t = t.Replace("defined", "", StringComparison.Ordinal).Trim('(', ')', ' ');
            var value = t == "1" || (t != "0" && defined.Contains(t));
            return negate ? !value : value;
        }));
        return (expression, holds);
    }
}
