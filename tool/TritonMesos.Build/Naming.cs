using System.Text;

namespace TritonMesos.Build;

/// <summary>NUKE's naming rules for parameters.</summary>
public static class Naming
{
    /// <summary><c>UpstreamUrl</c> → <c>upstream-url</c>, <c>NoLogo</c> → <c>no-logo</c>, <c>HTMLFile</c> → <c>html-file</c>.</summary>
    public static string ToDashed(string memberName)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < memberName.Length; i++)
        {
            var c = memberName[i];
            var startsWord = i > 0 && char.IsUpper(c) &&
                             (char.IsLower(memberName[i - 1]) || char.IsDigit(memberName[i - 1]) ||
                              (i + 1 < memberName.Length && char.IsUpper(memberName[i - 1]) && char.IsLower(memberName[i + 1])));
            if (startsWord)
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>Letters and digits only, for environment-variable matching (<c>NUKE_UPSTREAM_URL</c> → <c>NUKEUPSTREAMURL</c>).</summary>
    public static string Trimmed(string name) => new(name.Where(char.IsLetterOrDigit).ToArray());
}
