namespace TritonMesos.Report;

/// <summary>The files of a report in its output directory: written by the outputs, kept and copied by the result cache.</summary>
internal static class ReportFiles
{
    /// <summary>The data (schema <see cref="UpstreamReportData.SchemaId"/>).</summary>
    public const string Json = "report.json";

    /// <summary>The matrix and notes as Markdown.</summary>
    public const string Markdown = "report.md";

    /// <summary>The page with the matrix as SVG.</summary>
    public const string Html = "report.html";

    /// <summary>The ready-to-send patches and their descriptions.</summary>
    public const string SubmitDirectory = "submit";

    /// <summary>Creates <paramref name="outputDirectory"/> and an empty submit/ in it (files of an earlier run removed); returns submit/.</summary>
    public static string Prepare(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var submit = Path.Combine(outputDirectory, SubmitDirectory);
        if (Directory.Exists(submit))
            foreach (var stale in Directory.EnumerateFiles(submit))
                File.Delete(stale);
        Directory.CreateDirectory(submit);
        return submit;
    }
}
