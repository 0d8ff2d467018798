using System.Xml.Linq;

namespace TritonMesos.Build;

/// <summary>How one test ended.</summary>
public enum TestOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One test result read from a trx file: the test, its outcome and the message (failure text or skip reason).</summary>
public sealed record TestResult(string Project, string Name, TestOutcome Outcome, string? Message);

/// <summary>Totals over all test projects.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped)
{
    /// <summary>Tests that ran or were skipped.</summary>
    public int Total => Passed + Failed + Skipped;

    /// <summary>The closing line CI reads: <c>N passed, N failed, N skipped</c>.</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>Counts the outcomes.</summary>
    public static TestTotals Of(IEnumerable<TestResult> results)
    {
        var list = results.ToList();
        return new TestTotals(list.Count(r => r.Outcome == TestOutcome.Passed), list.Count(r => r.Outcome == TestOutcome.Failed),
            list.Count(r => r.Outcome == TestOutcome.Skipped));
    }
}

/// <summary>Reads Visual Studio test result (trx) files as written by <c>dotnet test --logger trx</c>.</summary>
public static class TrxReader
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Every UnitTestResult in the file; NotExecuted counts as skipped, anything but Passed as failed.</summary>
    public static IReadOnlyList<TestResult> Read(string path, string? project = null)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new BuildException($"{path}:{e.LineNumber}: not a readable trx file: {e.Message}", e);
        }
        project ??= Path.GetFileNameWithoutExtension(path);
        return document.Descendants(Ns + "UnitTestResult")
            .Select(r =>
            {
                var outcome = (string?)r.Attribute("outcome") switch
                {
                    "Passed" => TestOutcome.Passed,
                    "NotExecuted" => TestOutcome.Skipped,
                    _ => TestOutcome.Failed,
                };
                var output = r.Element(Ns + "Output");
                var message = (string?)output?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")
                              ?? (string?)output?.Element(Ns + "StdOut");
                return new TestResult(project, (string?)r.Attribute("testName") ?? "<unnamed>", outcome, message?.Trim());
            })
            .ToList();
    }
}
