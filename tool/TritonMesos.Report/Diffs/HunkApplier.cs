namespace TritonMesos.Report.Diffs;

/// <summary>Where a hunk landed: at its header line, elsewhere, with context ignored, or nowhere.</summary>
internal enum HunkFit
{
    Exact,
    Offset,
    Fuzz,
    Failed,
}

/// <summary>How one hunk applied: <see cref="Offset"/> lines from its header, ignoring <see cref="Fuzz"/> context lines at each end.</summary>
internal sealed record HunkOutcome(int Index, DiffHunk Hunk, HunkFit Fit, int Offset, int Fuzz, int? Position);

/// <summary>The hunks of one file applied to one text: the outcome per hunk and the edits that succeeded.</summary>
internal sealed record FileApplication(DiffSection Patch, IReadOnlyList<HunkOutcome> Hunks, IReadOnlyList<Replacement> Replacements, bool? EndsWithNewline)
{
    /// <summary>True when every hunk found its place.</summary>
    public bool Succeeded => Hunks.All(h => h.Fit != HunkFit.Failed);

    /// <summary>The worst fit over all hunks (Exact &lt; Offset &lt; Fuzz &lt; Failed).</summary>
    public HunkFit Fit => Hunks.Count == 0 ? HunkFit.Exact : Hunks.Max(h => h.Fit);

    /// <summary>The patched text; only meaningful when <see cref="Succeeded"/>.</summary>
    public TextFile ApplyTo(TextFile target) => target.Apply(Replacements, EndsWithNewline);
}

/// <summary>Applies hunks to text like GNU patch: exact place first, then the nearest offset, then up to N lines of fuzz.</summary>
internal static class HunkApplier
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/>, ignoring at most <paramref name="maxFuzz"/> context lines at each hunk end.</summary>
    public static FileApplication Apply(TextFile target, DiffSection patch, int maxFuzz)
    {
        var lines = target.Lines;
        var outcomes = new List<HunkOutcome>();
        var replacements = new List<Replacement>();
        bool? endsWithNewline = null;
        var drift = 0;
        var minPosition = 0;
        for (var index = 0; index < patch.Hunks.Count; index++)
        {
            var hunk = patch.Hunks[index];
            var old = hunk.OldLines.ToArray();
            var expected = (hunk.OldCount == 0 ? hunk.OldStart : hunk.OldStart - 1);
            var leading = hunk.Lines.TakeWhile(l => l.Kind == ' ').Count();
            var trailing = hunk.Lines.Reverse().TakeWhile(l => l.Kind == ' ').Count();
            if (leading == hunk.Lines.Count)
                trailing = 0;
            int? found = null;
            var usedFuzz = 0;
            for (var fuzz = 0; fuzz <= maxFuzz && found is null; fuzz++)
            {
                int dropHead = Math.Min(fuzz, leading), dropTail = Math.Min(fuzz, trailing);
                if (fuzz > 0 && dropHead == 0 && dropTail == 0)
                    break;
                var window = old.AsSpan(dropHead, old.Length - dropHead - dropTail);
                var position = FindNearest(lines, window, expected + drift + dropHead, minPosition);
                if (position is { } p)
                {
                    found = p - dropHead;
                    usedFuzz = fuzz;
                }
            }
            if (found is not { } at)
            {
                outcomes.Add(new HunkOutcome(index, hunk, HunkFit.Failed, 0, 0, null));
                continue;
            }
            var offset = at - expected;
            drift = offset;
            minPosition = at + old.Length;
            outcomes.Add(new HunkOutcome(index, hunk, usedFuzz > 0 ? HunkFit.Fuzz : offset != 0 ? HunkFit.Offset : HunkFit.Exact,
                offset, usedFuzz, at));
            replacements.AddRange(Runs(hunk, at, index));
            if (at + old.Length >= lines.Count && (hunk.NewMissingNewline || hunk.OldMissingNewline))
                endsWithNewline = !hunk.NewMissingNewline;
        }
        return new FileApplication(patch, outcomes, replacements, endsWithNewline);
    }

    /// <summary>The edits of a hunk placed at <paramref name="position"/>: one per run of removed/added lines.</summary>
    public static IEnumerable<Replacement> Runs(DiffHunk hunk, int position, int hunkIndex)
    {
        var oldIndex = 0;
        var i = 0;
        while (i < hunk.Lines.Count)
        {
            if (hunk.Lines[i].Kind == ' ')
            {
                oldIndex++;
                i++;
                continue;
            }
            var start = oldIndex;
            var removed = 0;
            var added = new List<string>();
            for (; i < hunk.Lines.Count && hunk.Lines[i].Kind != ' '; i++)
            {
                if (hunk.Lines[i].Kind == '-') { removed++; oldIndex++; }
                else added.Add(hunk.Lines[i].Text);
            }
            yield return new Replacement(position + start, removed, added, hunkIndex);
        }
    }

    /// <summary>The match of <paramref name="window"/> nearest to <paramref name="expected"/>, not before <paramref name="minPosition"/>.</summary>
    public static int? FindNearest(IReadOnlyList<string> lines, ReadOnlySpan<string> window, int expected, int minPosition)
    {
        var last = lines.Count - window.Length;
        if (last < minPosition)
            return null;
        expected = Math.Clamp(expected, minPosition, last);
        for (var distance = 0; ; distance++)
        {
            int below = expected - distance, above = expected + distance;
            var inRange = false;
            if (below >= minPosition)
            {
                inRange = true;
                if (Matches(lines, window, below))
                    return below;
            }
            if (distance > 0 && above <= last)
            {
                inRange = true;
                if (Matches(lines, window, above))
                    return above;
            }
            if (!inRange)
                return null;
        }
    }

    private static bool Matches(IReadOnlyList<string> lines, ReadOnlySpan<string> window, int at)
    {
        for (var k = 0; k < window.Length; k++)
            if (!string.Equals(lines[at + k], window[k], StringComparison.Ordinal))
                return false;
        return true;
    }
}
