using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>The googletest cases a patch series adds (the <c>TEST_F(Fixture, Name)</c> lines its diffs add), as a <c>--gtest_filter</c>.</summary>
public sealed partial record SeriesTests(IReadOnlyList<SeriesTest> Tests, IReadOnlyList<string> TestFiles)
{
    /// <summary>Reads every patch of <c>patches/series</c> in order; a test added twice is listed once.</summary>
    public static SeriesTests FromPatches(string patchesDirectory)
    {
        var series = PatchSeries.Load(patchesDirectory);
        var tests = new List<SeriesTest>();
        var files = new List<string>();
        foreach (var name in series.Entries.Select(e => e.FileName))
        {
            foreach (var section in PatchFile.ParseSections(File.ReadAllText(Path.Combine(patchesDirectory, name))))
            {
                if (TestFile().Match(section.NewPath) is { Success: true } f && !files.Contains(f.Groups["name"].Value))
                    files.Add(f.Groups["name"].Value);
                string? pending = null; // "TEST_F_TEMP_DISABLED_ON_WINDOWS(" whose arguments are on the next added line
                foreach (var (added, lineNumber) in section.AddedLines)
                {
                    var line = added;
                    if (pending is not null)
                    {
                        line = pending + added.TrimStart();
                        pending = null;
                    }
                    else if (OpenTestMacro().IsMatch(added))
                    {
                        pending = added;
                        continue;
                    }
                    if (TestMacro().Match(line) is { Success: true } m)
                    {
                        var test = new SeriesTest(m.Groups["macro"].Value, m.Groups["fixture"].Value, m.Groups["name"].Value, name, lineNumber);
                        if (!tests.Any(t => t.GtestPattern == test.GtestPattern))
                            tests.Add(test);
                    }
                }
            }
        }
        return new SeriesTests(tests, files);
    }

    /// <summary>The tests joined into one <c>--gtest_filter</c> value.</summary>
    public string Filter => string.Join(':', Tests.Select(t => t.GtestPattern));

    /// <summary>The tests that need root and a Docker engine (Mesos' <c>ROOT_DOCKER_</c> name prefix), as one filter.</summary>
    public string RootDockerFilter => string.Join(':', Tests.Where(t => t.NeedsRootAndDocker).Select(t => t.GtestPattern));

    /// <summary>The touched test files (<c>src/tests/…/&lt;name&gt;_tests.cpp</c>) by name without <c>.cpp</c>, as Dockerfile.slave's MESOS_TESTS_ONLY takes them.</summary>
    public string TestFilesArgument => string.Join(' ', TestFiles);

    [GeneratedRegex(@"^src/tests/(?:\S+/)?(?<name>\w+_tests)\.cpp$")]
    private static partial Regex TestFile();

    // Mesos also wraps them: TEST_F_TEMP_DISABLED_ON_WINDOWS(Fixture, Name), often with the arguments on the next line.
    [GeneratedRegex(@"^(?<macro>TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)(?:_TEMP_DISABLED_ON_WINDOWS)?\(\s*(?<fixture>\w+)\s*,\s*(?<name>\w+)\s*\)")]
    private static partial Regex TestMacro();

    [GeneratedRegex(@"^(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)(?:_TEMP_DISABLED_ON_WINDOWS)?\(\s*$")]
    private static partial Regex OpenTestMacro();
}

/// <summary>One test case a patch adds, with where it was found.</summary>
public sealed record SeriesTest(string Macro, string Fixture, string Name, string Patch, int Line)
{
    /// <summary>The gtest name pattern: parameterized and typed tests carry an instantiation prefix or a type suffix.</summary>
    /// <summary>Whether Mesos runs it only as root with a Docker engine (names with <c>ROOT_</c> and <c>DOCKER_</c> prefixes).</summary>
    public bool NeedsRootAndDocker => Name.Replace("DISABLED_", "").StartsWith("ROOT_", StringComparison.Ordinal) && Name.Contains("DOCKER_", StringComparison.Ordinal);

    public string GtestPattern => Macro switch
    {
        "TEST_P" => $"*/{Fixture}.{Name}/*",
        "TYPED_TEST" or "TYPED_TEST_P" => $"{Fixture}/*.{Name}",
        _ => $"{Fixture}.{Name}",
    };
}
