using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace TritonMesos.Generators;

/// <summary>The header fields of one format-patch file that the generator needs: subject and trailers.</summary>
internal sealed class PatchHeaders
{
    private static readonly Regex TrailerLine = new(@"^(?<key>[A-Za-z][A-Za-z0-9-]*):\s?(?<value>.*)$");
    private static readonly Regex SubjectPrefix = new(@"^\[PATCH[^\]]*\]\s*");

    public PatchHeaders(string fileName, string subject, List<KeyValuePair<string, string>> trailers)
    {
        FileName = fileName;
        Subject = subject;
        Trailers = trailers;
    }

    public string FileName { get; }
    public string Subject { get; }
    public List<KeyValuePair<string, string>> Trailers { get; }

    public IEnumerable<string> Values(string key)
    {
        foreach (var trailer in Trailers)
            if (trailer.Key == key)
                yield return trailer.Value;
    }

    public string? Last(string key)
    {
        string? last = null;
        foreach (var value in Values(key))
            last = value;
        return last;
    }

    /// <summary>Reads the subject and the trailer block (the commit message's last paragraph when every line is <c>Key: value</c>).</summary>
    public static PatchHeaders Parse(string fileName, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var i = 1;
        var subject = "";
        string? lastKey = null;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if ((lines[i][0] == ' ' || lines[i][0] == '\t') && lastKey == "Subject")
            {
                subject += " " + lines[i].Trim();
                continue;
            }
            var colon = lines[i].IndexOf(':');
            lastKey = colon > 0 ? lines[i].Substring(0, colon) : null;
            if (lastKey == "Subject")
                subject = lines[i].Substring(colon + 1).Trim();
        }
        var message = new List<string>();
        for (i++; i < lines.Length; i++)
        {
            if (lines[i] == "---" || lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
                break;
            message.Add(lines[i]);
        }
        while (message.Count > 0 && message[message.Count - 1].Length == 0)
            message.RemoveAt(message.Count - 1);
        var start = message.FindLastIndex(l => l.Length == 0) + 1;
        var trailers = new List<KeyValuePair<string, string>>();
        if (start < message.Count && message.GetRange(start, message.Count - start).TrueForAll(l => TrailerLine.IsMatch(l)))
            for (var k = start; k < message.Count; k++)
            {
                var m = TrailerLine.Match(message[k]);
                trailers.Add(new KeyValuePair<string, string>(m.Groups["key"].Value, m.Groups["value"].Value.Trim()));
            }
        return new PatchHeaders(fileName, SubjectPrefix.Replace(subject, ""), trailers);
    }
}
