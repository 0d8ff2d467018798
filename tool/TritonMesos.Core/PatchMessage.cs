// Compiled into TritonMesos.Core and, as a linked file, into the netstandard2.0 source generator
// (tool/TritonMesos.Generators): only C# and APIs that both accept (no ranges, spans nor generated regexes).
using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>
/// The mail part of a <c>git format-patch</c> text: headers, commit message, trailer block and where the diff starts;
/// the one reader of patch trailers, used by <see cref="PatchFile"/> and by the source generator.
/// </summary>
internal sealed class PatchMessage
{
    private static readonly Regex TrailerLine = new(@"^(?<key>[A-Za-z][A-Za-z0-9-]*):\s?(?<value>.*)$");
    private static readonly Regex SubjectPrefix = new(@"^\[PATCH[^\]]*\]\s*");

    private PatchMessage(string[] lines, Dictionary<string, string> headers, List<string> body,
        List<(string Key, string Value, int Line)> trailers, int diffStart, (string Message, int? Line, string? NextStep)? error)
    {
        Lines = lines;
        Headers = headers;
        Body = body;
        Trailers = trailers;
        DiffStart = diffStart;
        Error = error;
    }

    /// <summary>The text's lines (<c>\r\n</c> read as <c>\n</c>).</summary>
    public string[] Lines { get; }

    /// <summary>The mail headers (names ignore case), continuation lines joined.</summary>
    public Dictionary<string, string> Headers { get; }

    /// <summary>The <c>Subject:</c> without its <c>[PATCH …]</c> prefix (empty when missing).</summary>
    public string Subject => SubjectPrefix.Replace(Headers.TryGetValue("Subject", out var subject) ? subject : "", "");

    /// <summary>The commit message without the trailer block and without trailing empty lines.</summary>
    public List<string> Body { get; }

    /// <summary>The trailer block (the message's last paragraph when every line is <c>Key: value</c>), each with its 1-based line.</summary>
    public List<(string Key, string Value, int Line)> Trailers { get; }

    /// <summary>The 0-based index in <see cref="Lines"/> of the first <c>diff --git</c> line after the message; -1 when none.</summary>
    public int DiffStart { get; }

    /// <summary>The first problem met (what, 1-based line, next step); the rest was still read as far as it goes.</summary>
    public (string Message, int? Line, string? NextStep)? Error { get; }

    /// <summary>Reads <paramref name="text"/>; never throws: a problem is in <see cref="Error"/>.</summary>
    public static PatchMessage Read(string text)
    {
        (string Message, int? Line, string? NextStep)? error = null;
        if (text.Length == 0)
            error = ("the patch is empty", null, "re-export it with `triton-mesos export` or remove it from patches/series");
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (error is null && !lines[0].StartsWith("From ", StringComparison.Ordinal))
            error = ("not a git format-patch file (first line must start with 'From ')", 1,
                "create patches with `git format-patch` or `triton-mesos export`");

        // Mail headers, with RFC 822 continuation lines.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 1;
        string? lastKey = null;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if ((lines[i][0] == ' ' || lines[i][0] == '\t') && lastKey is not null)
            {
                headers[lastKey] += " " + lines[i].Trim();
                continue;
            }
            var colon = lines[i].IndexOf(':');
            if (colon <= 0)
            {
                error ??= ($"malformed mail header '{lines[i]}'", i + 1, null);
                lastKey = null;
                continue;
            }
            lastKey = lines[i].Substring(0, colon);
            headers[lastKey] = lines[i].Substring(colon + 1).Trim();
        }
        foreach (var required in new[] { "From", "Subject" })
            if (!headers.ContainsKey(required))
                error ??= ($"missing '{required}:' header", 1, "re-create the patch with `git format-patch`");
        var messageStart = i + 1;

        // The commit message ends at the '---' line that precedes the diffstat (or at the diff itself).
        var separator = -1;
        for (var j = messageStart; j < lines.Length; j++)
        {
            if (lines[j] == "---" || lines[j].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                separator = j;
                break;
            }
        }
        if (separator < 0)
            error ??= ("no diff found (missing '---' and 'diff --git' lines); the patch is truncated or corrupt", lines.Length,
                "re-export the patch from the work tree with `triton-mesos export`");
        var message = new List<string>();
        for (var j = messageStart; j < (separator < 0 ? lines.Length : separator); j++)
            message.Add(lines[j]);
        TrimEnd(message);

        var paragraphStart = message.FindLastIndex(l => l.Length == 0) + 1;
        var trailers = new List<(string Key, string Value, int Line)>();
        if (paragraphStart < message.Count && message.GetRange(paragraphStart, message.Count - paragraphStart).TrueForAll(l => TrailerLine.IsMatch(l)))
        {
            for (var k = paragraphStart; k < message.Count; k++)
            {
                var m = TrailerLine.Match(message[k]);
                trailers.Add((m.Groups["key"].Value, m.Groups["value"].Value.Trim(), messageStart + k + 1));
            }
            message.RemoveRange(paragraphStart, message.Count - paragraphStart);
            TrimEnd(message);
        }

        var diffStart = separator < 0 ? -1 : Array.FindIndex(lines, separator, l => l.StartsWith("diff --git ", StringComparison.Ordinal));
        if (separator >= 0 && diffStart < 0)
            error ??= ("the patch has a message but no 'diff --git' section; it is truncated or empty", lines.Length,
                "re-export the patch from the work tree with `triton-mesos export`");
        return new PatchMessage(lines, headers, message, trailers, diffStart, error);
    }

    private static void TrimEnd(List<string> lines)
    {
        while (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
    }
}
