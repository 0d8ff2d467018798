namespace TritonMesos.Report.Diffs;

/// <summary>A text file as lines (without their '\n') and whether the last line ends with a newline.</summary>
internal sealed record TextFile(IReadOnlyList<string> Lines, bool EndsWithNewline)
{
    /// <summary>The empty file.</summary>
    internal static readonly TextFile Empty = new([], true);

    /// <summary>Splits text on '\n'; '\r' stays part of the line as git treats it.</summary>
    internal static TextFile Parse(string text)
    {
        if (text.Length == 0)
            return Empty;
        var lines = text.Split('\n');
        var endsWithNewline = lines[^1].Length == 0;
        return new TextFile(endsWithNewline ? lines[..^1] : lines, endsWithNewline);
    }

    /// <summary><see cref="Parse(string)"/> of UTF-8 bytes, decoded line by line (no whole-text string in between).</summary>
    internal static TextFile Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
            return Empty;
        var lines = new List<string>(utf8.Length / 32 + 1);
        while (true)
        {
            var end = utf8.IndexOf((byte)'\n');
            if (end < 0)
            {
                lines.Add(System.Text.Encoding.UTF8.GetString(utf8));
                return new TextFile(lines, false);
            }
            lines.Add(System.Text.Encoding.UTF8.GetString(utf8[..end]));
            utf8 = utf8[(end + 1)..];
            if (utf8.IsEmpty)
                return new TextFile(lines, true);
        }
    }

    /// <summary>The git blob id of <see cref="ToText"/> (SHA-1 of "blob &lt;size&gt;\0" and the UTF-8 bytes) and its size in bytes, hashed line by line without building the text.</summary>
    internal (string Id, long Size) GitBlob()
    {
        var encoding = System.Text.Encoding.UTF8;
        var newlines = EndsWithNewline ? Lines.Count : Math.Max(0, Lines.Count - 1);
        var size = (long)newlines;
        foreach (var line in Lines)
            size += encoding.GetByteCount(line);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes($"blob {size}\0"));
        var buffer = new byte[4096];
        for (var i = 0; i < Lines.Count; i++)
        {
            var line = Lines[i];
            var needed = encoding.GetMaxByteCount(line.Length) + 1;
            if (buffer.Length < needed)
                buffer = new byte[Math.Max(needed, buffer.Length * 2)];
            var length = encoding.GetBytes(line, buffer);
            if (i < newlines)
                buffer[length++] = (byte)'\n';
            hash.AppendData(buffer, 0, length);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    /// <summary>The text form, the inverse of <see cref="Parse"/>.</summary>
    internal string ToText() =>
        Lines.Count == 0 ? "" : string.Join('\n', Lines) + (EndsWithNewline ? "\n" : "");

    /// <summary>A copy with <paramref name="replacements"/> (sorted, non-overlapping, in this file's coordinates) applied.</summary>
    internal TextFile Apply(IReadOnlyList<Replacement> replacements, bool? endsWithNewline = null)
    {
        var result = new List<string>(Lines.Count + 16);
        var next = 0;
        foreach (var r in replacements.OrderBy(r => r.Start))
        {
            for (; next < r.Start; next++)
                result.Add(Lines[next]);
            result.AddRange(r.NewLines);
            next = r.Start + r.OldCount;
        }
        for (; next < Lines.Count; next++)
            result.Add(Lines[next]);
        return new TextFile(result, endsWithNewline ?? EndsWithNewline);
    }
}

/// <summary>Replace <see cref="OldCount"/> lines at 0-based <see cref="Start"/> with <see cref="NewLines"/>; <see cref="HunkIndex"/> names the hunk it came from.</summary>
internal sealed record Replacement(int Start, int OldCount, IReadOnlyList<string> NewLines, int HunkIndex = -1)
{
    /// <summary>The first line after the replaced range.</summary>
    public int End => Start + OldCount;
}
