namespace TritonMesos.Report.Diffs;

/// <summary>A changed region: <see cref="OldCount"/> lines at <see cref="OldStart"/> became <see cref="NewCount"/> lines at <see cref="NewStart"/>.</summary>
internal readonly record struct LineChange(int OldStart, int OldCount, int NewStart, int NewCount)
{
    /// <summary>The first old line after the change.</summary>
    public int OldEnd => OldStart + OldCount;
}

/// <summary>Myers' O(ND) line diff in linear space (the bisection of diff-match-patch), over whole lines.</summary>
internal static class LineDiff
{
    /// <summary>Past this many edits in one region the region is reported as one change (conservative for merging).</summary>
    private const int MaxEditDistance = 20_000;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TextFile, System.Runtime.CompilerServices.ConditionalWeakTable<TextFile, IReadOnlyList<LineChange>>> Memo = new();

    /// <summary>The changed regions between two texts, remembered per pair of instances (texts read from git are shared).</summary>
    public static IReadOnlyList<LineChange> Compute(TextFile oldFile, TextFile newFile) =>
        Memo.GetOrCreateValue(oldFile).GetValue(newFile, n => Compute(oldFile.Lines, n.Lines));

    /// <summary>The changed regions from <paramref name="oldLines"/> to <paramref name="newLines"/>, in order.</summary>
    public static IReadOnlyList<LineChange> Compute(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = oldLines.Select(l => Intern(ids, l)).ToArray();
        var b = newLines.Select(l => Intern(ids, l)).ToArray();
        var raw = new List<LineChange>();
        new Differ(a, b, raw).Diff(0, a.Length, 0, b.Length);
        raw.Sort((x, y) => x.OldStart != y.OldStart ? x.OldStart.CompareTo(y.OldStart) : x.NewStart.CompareTo(y.NewStart));
        var merged = new List<LineChange>();
        foreach (var c in raw)
        {
            if (merged.Count > 0 && merged[^1].OldEnd == c.OldStart && merged[^1].NewStart + merged[^1].NewCount == c.NewStart)
                merged[^1] = merged[^1] with { OldCount = merged[^1].OldCount + c.OldCount, NewCount = merged[^1].NewCount + c.NewCount };
            else
                merged.Add(c);
        }
        return merged;
    }

    private static int Intern(Dictionary<string, int> ids, string line)
    {
        if (!ids.TryGetValue(line, out var id))
            ids[line] = id = ids.Count;
        return id;
    }

    private sealed class Differ(int[] a, int[] b, List<LineChange> output)
    {
        public void Diff(int aLo, int aHi, int bLo, int bHi)
        {
            while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo]) { aLo++; bLo++; }
            while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1]) { aHi--; bHi--; }
            if (aLo == aHi && bLo == bHi)
                return;
            if (aLo == aHi || bLo == bHi || (aHi - aLo == 1 && bHi - bLo == 1))
            {
                output.Add(new LineChange(aLo, aHi - aLo, bLo, bHi - bLo));
                return;
            }
            if (aHi - aLo + (bHi - bLo) > AnchorThreshold && Anchors(aLo, aHi, bLo, bHi) is { Count: > 0 } anchors)
            {
                // Patience step: lines unique on both sides, in the same order, split the region into small ones.
                int pa = aLo, pb = bLo;
                foreach (var (x0, y0) in anchors)
                {
                    Diff(pa, x0, pb, y0);
                    pa = x0 + 1;
                    pb = y0 + 1;
                }
                Diff(pa, aHi, pb, bHi);
                return;
            }
            if (!Bisect(aLo, aHi, bLo, bHi, out var x, out var y) || (x == aLo && y == bLo) || (x == aHi && y == bHi))
            {
                output.Add(new LineChange(aLo, aHi - aLo, bLo, bHi - bLo));
                return;
            }
            Diff(aLo, x, bLo, y);
            Diff(x, aHi, y, bHi);
        }

        private const int AnchorThreshold = 300;

        /// <summary>Longest increasing run (by position in b) of the lines that occur exactly once in each range.</summary>
        private List<(int A, int B)> Anchors(int aLo, int aHi, int bLo, int bHi)
        {
            var inA = new Dictionary<int, int>();
            for (var i = aLo; i < aHi; i++)
                inA[a[i]] = inA.ContainsKey(a[i]) ? -1 : i;
            var inB = new Dictionary<int, int>();
            for (var j = bLo; j < bHi; j++)
                inB[b[j]] = inB.ContainsKey(b[j]) ? -1 : j;
            var pairs = new List<(int A, int B)>();
            for (var i = aLo; i < aHi; i++)
                if (inA[a[i]] >= 0 && inB.TryGetValue(a[i], out var j) && j >= 0)
                    pairs.Add((i, j));
            if (pairs.Count == 0)
                return pairs;
            // Patience sorting: tails[k] = index in pairs of the smallest B ending an increasing run of length k + 1.
            var tails = new List<int>();
            var previous = new int[pairs.Count];
            for (var k = 0; k < pairs.Count; k++)
            {
                int lo = 0, hi = tails.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (pairs[tails[mid]].B < pairs[k].B) lo = mid + 1; else hi = mid;
                }
                previous[k] = lo > 0 ? tails[lo - 1] : -1;
                if (lo == tails.Count) tails.Add(k); else tails[lo] = k;
            }
            var run = new List<(int A, int B)>();
            for (var k = tails[^1]; k >= 0; k = previous[k])
                run.Add(pairs[k]);
            run.Reverse();
            return run;
        }

        /// <summary>Finds a point (x, y) on an optimal edit path strictly inside the region.</summary>
        private bool Bisect(int aLo, int aHi, int bLo, int bHi, out int splitX, out int splitY)
        {
            int n = aHi - aLo, m = bHi - bLo;
            var maxD = (n + m + 1) / 2;
            var vOffset = maxD + 1;
            var vLength = 2 * maxD + 3;
            var v1 = new int[vLength];
            var v2 = new int[vLength];
            Array.Fill(v1, -1);
            Array.Fill(v2, -1);
            v1[vOffset + 1] = 0;
            v2[vOffset + 1] = 0;
            var delta = n - m;
            var front = (delta & 1) != 0;
            int k1Start = 0, k1End = 0, k2Start = 0, k2End = 0;
            var limit = Math.Min(maxD, MaxEditDistance);
            for (var d = 0; d < limit; d++)
            {
                for (var k1 = -d + k1Start; k1 <= d - k1End; k1 += 2)
                {
                    var k1Offset = vOffset + k1;
                    var x1 = k1 == -d || (k1 != d && v1[k1Offset - 1] < v1[k1Offset + 1]) ? v1[k1Offset + 1] : v1[k1Offset - 1] + 1;
                    var y1 = x1 - k1;
                    while (x1 < n && y1 < m && a[aLo + x1] == b[bLo + y1]) { x1++; y1++; }
                    v1[k1Offset] = x1;
                    if (x1 > n) k1End += 2;
                    else if (y1 > m) k1Start += 2;
                    else if (front)
                    {
                        var k2Offset = vOffset + delta - k1;
                        if (k2Offset >= 0 && k2Offset < vLength && v2[k2Offset] != -1 && x1 >= n - v2[k2Offset])
                            return Split(aLo, bLo, x1, y1, out splitX, out splitY);
                    }
                }
                for (var k2 = -d + k2Start; k2 <= d - k2End; k2 += 2)
                {
                    var k2Offset = vOffset + k2;
                    var x2 = k2 == -d || (k2 != d && v2[k2Offset - 1] < v2[k2Offset + 1]) ? v2[k2Offset + 1] : v2[k2Offset - 1] + 1;
                    var y2 = x2 - k2;
                    while (x2 < n && y2 < m && a[aHi - x2 - 1] == b[bHi - y2 - 1]) { x2++; y2++; }
                    v2[k2Offset] = x2;
                    if (x2 > n) k2End += 2;
                    else if (y2 > m) k2Start += 2;
                    else if (!front)
                    {
                        var k1Offset = vOffset + delta - k2;
                        if (k1Offset >= 0 && k1Offset < vLength && v1[k1Offset] != -1)
                        {
                            var x1 = v1[k1Offset];
                            var y1 = vOffset + x1 - k1Offset;
                            if (x1 >= n - x2)
                                return Split(aLo, bLo, x1, y1, out splitX, out splitY);
                        }
                    }
                }
            }
            splitX = splitY = 0;
            return false;
        }

        private static bool Split(int aLo, int bLo, int x, int y, out int splitX, out int splitY)
        {
            splitX = aLo + x;
            splitY = bLo + y;
            return true;
        }
    }
}
