using System.Globalization;
using System.Text;

namespace TritonMesos.Image;

/// <summary>How one test ended on one build; a test the build's report does not list did not run.</summary>
public enum TestOutcome { Passed, Failed, NotRun }

/// <summary>Passed / failed / not run counts of one row on one build.</summary>
public sealed record SuiteTally(int Passed, int Failed, int NotRun)
{
    public int Total => Passed + Failed + NotRun;
    public SuiteTally Add(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => this with { Passed = Passed + 1 },
        TestOutcome.Failed => this with { Failed = Failed + 1 },
        _ => this with { NotRun = NotRun + 1 },
    };
    public SuiteTally Plus(SuiteTally other) => new(Passed + other.Passed, Failed + other.Failed, NotRun + other.NotRun);
}

/// <summary>One row of the table: a suite's tally on the patched build and on the baseline.</summary>
public sealed record SuiteComparison(RegressionSuite Suite, SuiteTally Patched, SuiteTally Baseline);

/// <summary>A test whose outcome the table calls out, with the patched build's failure message when it failed there.</summary>
public sealed record ComparedTest(string FullName, string Suite, TestOutcome Patched, TestOutcome Baseline, string? PatchedFailure, string? BaselineFailure);

/// <summary>A timed phase of the comparison (a build or a run), for the table's footer.</summary>
public sealed record ComparisonTiming(string Phase, TimeSpan Elapsed);

/// <summary>
/// The patched build against the baseline, suite by suite: the rows, the regressions (pass on the baseline, fail patched),
/// the tests failing on both, and those only the patched build passes.
/// </summary>
public sealed record MesosTestComparison(IReadOnlyList<SuiteComparison> Rows, IReadOnlyList<ComparedTest> Regressions,
    IReadOnlyList<ComparedTest> FailingOnBoth, IReadOnlyList<ComparedTest> FixedPatched, IReadOnlyList<string> OutsideSuites)
{
    public bool HasRegressions => Regressions.Count > 0;

    public SuiteTally PatchedTotal => Rows.Aggregate(new SuiteTally(0, 0, 0), (t, r) => t.Plus(r.Patched));
    public SuiteTally BaselineTotal => Rows.Aggregate(new SuiteTally(0, 0, 0), (t, r) => t.Plus(r.Baseline));

    /// <summary>Compares two builds' cases: every test either report lists counts on both sides (absent = not run).</summary>
    public static MesosTestComparison Compare(IReadOnlyList<RegressionSuite> suites, IReadOnlyList<MesosTestCase> patched,
        IReadOnlyList<MesosTestCase> baseline)
    {
        var p = ByName(patched);
        var b = ByName(baseline);
        var tallies = suites.ToDictionary(s => s, _ => (Patched: new SuiteTally(0, 0, 0), Baseline: new SuiteTally(0, 0, 0)));
        var regressions = new List<ComparedTest>();
        var both = new List<ComparedTest>();
        var fixedPatched = new List<ComparedTest>();
        var outside = new List<string>();
        foreach (var name in p.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var row = RegressionSuites.RowOf(suites, name);
            if (row is null)
            {
                outside.Add(name);
                continue;
            }
            var (po, pf) = OutcomeOf(p, name);
            var (bo, bf) = OutcomeOf(b, name);
            var (pt, bt) = tallies[row];
            tallies[row] = (pt.Add(po), bt.Add(bo));
            var test = new ComparedTest(name, row.Name, po, bo, pf, bf);
            if (po == TestOutcome.Failed && bo == TestOutcome.Passed)
                regressions.Add(test);
            else if (po == TestOutcome.Failed && bo == TestOutcome.Failed)
                both.Add(test);
            else if (po == TestOutcome.Passed && bo == TestOutcome.Failed)
                fixedPatched.Add(test);
        }
        return new MesosTestComparison(suites.Select(s => new SuiteComparison(s, tallies[s].Patched, tallies[s].Baseline)).ToList(),
            regressions, both, fixedPatched, outside);
    }

    /// <summary>One build's cases from several runs (unprivileged, then as root): a case that ran wins over one that did not.</summary>
    public static IReadOnlyList<MesosTestCase> Merge(params IReadOnlyList<MesosTestCase>[] runs)
    {
        var merged = new Dictionary<string, MesosTestCase>(StringComparer.Ordinal);
        foreach (var c in runs.SelectMany(r => r))
            if (!merged.TryGetValue(c.FullName, out var seen) || (seen.Skipped && !c.Skipped))
                merged[c.FullName] = c;
        return merged.Values.ToList();
    }

    private static Dictionary<string, MesosTestCase> ByName(IReadOnlyList<MesosTestCase> cases) =>
        Merge(cases).ToDictionary(c => c.FullName, StringComparer.Ordinal);

    private static (TestOutcome, string?) OutcomeOf(Dictionary<string, MesosTestCase> cases, string name) =>
        !cases.TryGetValue(name, out var c) || c.Skipped ? (TestOutcome.NotRun, null)
        : c.Failed ? (TestOutcome.Failed, c.Failure)
        : (TestOutcome.Passed, null);

    /// <summary>The table, the lists and the timings as markdown (what artifacts/ gets and docs/patches.md quotes).</summary>
    public string ToMarkdown(string patchedImage, string baselineImage, IEnumerable<ComparisonTiming> timings)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Patched: `{patchedImage}`; baseline ({Features.BuildCompat.Id} only): `{baselineImage}`.");
        md.AppendLine();
        md.AppendLine("| Suite | Patched passed | Patched failed | Patched not run | Baseline passed | Baseline failed | Baseline not run |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var r in Rows)
            md.AppendLine(Row($"{r.Suite.Name} (`{r.Suite.Filter}`)", r.Patched, r.Baseline));
        md.AppendLine(Row("**Total**", PatchedTotal, BaselineTotal));
        md.AppendLine();
        List("Regressions (pass on the baseline, fail patched)", Regressions, md, withFailure: true);
        List("Failing on both builds", FailingOnBoth, md, withFailure: true);
        List("Passing only on the patched build", FixedPatched, md, withFailure: false);
        var timed = timings.ToList();
        if (timed.Count > 0)
        {
            md.AppendLine("Times:");
            md.AppendLine();
            foreach (var t in timed)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {t.Phase}: {Minutes(t.Elapsed)}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- total: {Minutes(timed.Aggregate(TimeSpan.Zero, (s, t) => s + t.Elapsed))}");
        }
        return md.ToString();
    }

    /// <summary>The table as console text (fixed-width columns).</summary>
    public string ToText()
    {
        var width = Math.Max(10, Rows.Max(r => (int?)r.Suite.Name.Length) ?? 0);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"suite".PadRight(width)}  {"patched pass/fail/not run",-27}  baseline pass/fail/not run");
        foreach (var r in Rows.Select(r => (Name: r.Suite.Name, r.Patched, r.Baseline)).Append((Name: "total", Patched: PatchedTotal, Baseline: BaselineTotal)))
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name.PadRight(width)}  {Counts(r.Patched),-27}  {Counts(r.Baseline)}");
        foreach (var (title, tests) in new[] { ("REGRESSION", Regressions), ("failing on both", FailingOnBoth) })
            foreach (var t in tests)
                text.AppendLine(CultureInfo.InvariantCulture, $"{title}: {t.FullName} ({t.Suite})");
        return text.ToString();
    }

    private static string Counts(SuiteTally t) => $"{t.Passed}/{t.Failed}/{t.NotRun}";

    private static string Row(string name, SuiteTally p, SuiteTally b) =>
        $"| {name} | {p.Passed} | {p.Failed} | {p.NotRun} | {b.Passed} | {b.Failed} | {b.NotRun} |";

    private static void List(string title, IReadOnlyList<ComparedTest> tests, StringBuilder md, bool withFailure)
    {
        md.AppendLine(tests.Count == 0 ? $"{title}: none." : string.Create(CultureInfo.InvariantCulture, $"{title}: {tests.Count}"));
        md.AppendLine();
        if (tests.Count == 0)
            return;
        foreach (var t in tests)
            md.AppendLine($"- `{t.FullName}` ({t.Suite})" + (withFailure && (t.PatchedFailure ?? t.BaselineFailure) is { } f ? $": {FirstLine(f)}" : ""));
        md.AppendLine();
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private static string Minutes(TimeSpan t) => t.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:F1} min")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0} s");
}
