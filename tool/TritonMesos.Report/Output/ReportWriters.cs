using System.Text.Encodings.Web;
using System.Text.Json;

namespace TritonMesos.Report;

/// <summary>Writes every output of a report run.</summary>
public static class ReportWriters
{
    /// <summary>The JSON options of report.json: indented, camelCase names as declared, no escaping of non-ASCII.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes report.json, report.md, report.html and submit/; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(UpstreamReportData data, IReadOnlyList<Submission> submissions, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var submit = Path.Combine(outputDirectory, "submit");
        if (Directory.Exists(submit))
            foreach (var stale in Directory.EnumerateFiles(submit))
                File.Delete(stale);
        Directory.CreateDirectory(submit);
        var files = new List<string>();
        void Write(string path, string text)
        {
            File.WriteAllText(path, text);
            files.Add(path);
        }
        Write(Path.Combine(outputDirectory, "report.json"), JsonSerializer.Serialize(data, JsonOptions) + "\n");
        Write(Path.Combine(outputDirectory, "report.md"), MarkdownReport.Render(data));
        Write(Path.Combine(outputDirectory, "report.html"), HtmlReport.Render(data));
        foreach (var s in submissions)
        {
            Write(Path.Combine(submit, s.Info.Patch), s.PatchText);
            Write(Path.Combine(submit, s.Info.Description), s.DescriptionText);
        }
        return files;
    }

    /// <summary>Reads a report.json back.</summary>
    public static UpstreamReportData ReadJson(string path) =>
        JsonSerializer.Deserialize<UpstreamReportData>(File.ReadAllText(path), JsonOptions)
        ?? throw new TritonMesosException("empty report", path);
}
