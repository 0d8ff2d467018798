using System.Text.Json;

namespace TritonMesos.Report;

/// <summary>Writes every output of a report run, and reads report.json back.</summary>
internal static class ReportWriters
{
    /// <summary>Writes report.json, report.md, report.html and submit/; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(UpstreamReportData data, IReadOnlyList<Submission> submissions, string outputDirectory)
    {
        var submit = ReportFiles.Prepare(outputDirectory);
        var files = new List<string>();
        void Write(string path, string text)
        {
            File.WriteAllText(path, text);
            files.Add(path);
        }
        // report.json (the largest output) is serialized straight to UTF-8 on another core while the pages are rendered.
        var jsonPath = Path.Combine(outputDirectory, ReportFiles.Json);
        var json = Task.Run(() =>
        {
            using var stream = new FileStream(jsonPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            JsonSerializer.Serialize(stream, data, ReportJson.Indented);
            stream.WriteByte((byte)'\n');
        });
        Write(Path.Combine(outputDirectory, ReportFiles.Markdown), MarkdownReport.Render(data));
        Write(Path.Combine(outputDirectory, ReportFiles.Html), HtmlReport.Render(data));
        json.GetAwaiter().GetResult();
        files.Insert(0, jsonPath);
        foreach (var s in submissions)
        {
            Write(Path.Combine(submit, s.Info.Patch), s.PatchText);
            Write(Path.Combine(submit, s.Info.Description), s.DescriptionText);
        }
        return files;
    }

    /// <summary>Reads a report.json back.</summary>
    public static UpstreamReportData ReadJson(string path) =>
        JsonSerializer.Deserialize<UpstreamReportData>(File.ReadAllText(path), ReportJson.Indented) ?? throw ReportErrors.EmptyReport(path);
}
