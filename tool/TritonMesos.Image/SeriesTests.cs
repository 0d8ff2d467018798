using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>The googletest cases a patch series adds (its <c>+TEST_F(Fixture, Name)</c> lines), as a <c>--gtest_filter</c>.</summary>
public sealed partial record SeriesTests(IReadOnlyList<SeriesTest> Tests)
{
    /// <summary>Reads every patch of <c>patches/series</c> in order; a test added twice is listed once.</summary>
    public static SeriesTests FromPatches(string patchesDirectory)
    {
        var series = PatchSeries.Load(patchesDirectory);
        var tests = new List<SeriesTest>();
        foreach (var name in series.Entries.Select(e => e.FileName))
        {
            var path = Path.Combine(patchesDirectory, name);
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (TestMacro().Match(line) is { Success: true } m)
                {
                    var test = new SeriesTest(m.Groups["macro"].Value, m.Groups["fixture"].Value, m.Groups["name"].Value, name, lineNumber);
                    if (!tests.Any(t => t.GtestPattern == test.GtestPattern))
                        tests.Add(test);
                }
            }
        }
        return new SeriesTests(tests);
    }

    /// <summary>The tests joined into one <c>--gtest_filter</c> value.</summary>
    public string Filter => string.Join(':', Tests.Select(t => t.GtestPattern));

    [GeneratedRegex(@"^\+(?<macro>TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\(\s*(?<fixture>\w+)\s*,\s*(?<name>\w+)\s*\)")]
    private static partial Regex TestMacro();
}

/// <summary>One test case a patch adds, with where it was found.</summary>
public sealed record SeriesTest(string Macro, string Fixture, string Name, string Patch, int Line)
{
    /// <summary>The gtest name pattern: parameterized and typed tests carry an instantiation prefix or a type suffix.</summary>
    public string GtestPattern => Macro switch
    {
        "TEST_P" => $"*/{Fixture}.{Name}/*",
        "TYPED_TEST" or "TYPED_TEST_P" => $"{Fixture}/*.{Name}",
        _ => $"{Fixture}.{Name}",
    };
}
