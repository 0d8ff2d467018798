namespace TritonMesos.Report.Diffs;

/// <summary>A patch edit that collides with an upstream change: the base lines upstream rewrote and what they became.</summary>
internal sealed record MergeConflict(int HunkIndex, Replacement Theirs, IReadOnlyList<string> BaseLines, IReadOnlyList<string> UpstreamLines, int UpstreamLine);

/// <summary>The result of a line-level 3-way merge: edits placed in the upstream text, and the collisions.</summary>
internal sealed record MergeResult(IReadOnlyList<Replacement> Replacements, IReadOnlyList<MergeConflict> Conflicts)
{
    /// <summary>True when no patch edit touches an upstream change.</summary>
    public bool Succeeded => Conflicts.Count == 0;
}

/// <summary>diff3 at line level: the patch's edits of the base are moved across upstream's base→current changes unless they overlap or touch.</summary>
internal static class ThreeWayMerge
{
    /// <summary>Merges the edits <paramref name="theirs"/> (in <paramref name="baseFile"/> coordinates) into <paramref name="ours"/>.</summary>
    public static MergeResult Merge(TextFile baseFile, TextFile ours, IReadOnlyList<Replacement> theirs)
    {
        var changes = LineDiff.Compute(baseFile, ours);
        var placed = new List<Replacement>();
        var conflicts = new List<MergeConflict>();
        foreach (var edit in theirs.OrderBy(r => r.Start))
        {
            var delta = 0;
            var colliding = new List<LineChange>();
            foreach (var change in changes)
            {
                if (change.OldStart <= edit.End && edit.Start <= change.OldEnd)
                    colliding.Add(change);
                else if (change.OldEnd < edit.Start)
                    delta += change.NewCount - change.OldCount;
            }
            if (colliding.Count == 0)
            {
                placed.Add(edit with { Start = edit.Start + delta });
                continue;
            }
            int baseFrom = colliding.Min(c => c.OldStart), baseTo = colliding.Max(c => c.OldEnd);
            int oursFrom = colliding.Min(c => c.NewStart), oursTo = colliding.Max(c => c.NewStart + c.NewCount);
            conflicts.Add(new MergeConflict(edit.HunkIndex, edit,
                baseFile.Lines.Skip(baseFrom).Take(baseTo - baseFrom).ToList(),
                ours.Lines.Skip(oursFrom).Take(oursTo - oursFrom).ToList(),
                oursFrom + 1));
        }
        return new MergeResult(placed, conflicts);
    }
}
