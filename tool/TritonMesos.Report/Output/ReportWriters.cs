using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

/// <summary>Compile-time JSON metadata of report.json and the history cache (no reflection at run time: a warm run is short).</summary>
[JsonSerializable(typeof(UpstreamReportData))]
[JsonSerializable(typeof(PatchHistory))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>Writes every output of a report run.</summary>
public static class ReportWriters
{
    /// <summary>The JSON options of report.json: indented, camelCase names as declared, no escaping of non-ASCII.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ReportJsonContext.Default,
    };

    /// <summary>Writes report.json, report.md, report.html and submit/; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(UpstreamReportData data, IReadOnlyList<Submission> submissions, string outputDirectory)
    {
        var submit = ClearSubmitDirectory(outputDirectory);
        var files = new List<string>();
        void Write(string path, string text)
        {
            File.WriteAllText(path, text);
            files.Add(path);
        }
        // report.json (the largest output) is serialized straight to UTF-8 on another core while the pages are rendered.
        var jsonPath = Path.Combine(outputDirectory, "report.json");
        var json = Task.Run(() =>
        {
            using var stream = new FileStream(jsonPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            JsonSerializer.Serialize(stream, data, JsonOptions);
            stream.WriteByte((byte)'\n');
        });
        Write(Path.Combine(outputDirectory, "report.md"), MarkdownReport.Render(data));
        Write(Path.Combine(outputDirectory, "report.html"), HtmlReport.Render(data));
        json.GetAwaiter().GetResult();
        files.Insert(0, jsonPath);
        foreach (var s in submissions)
        {
            Write(Path.Combine(submit, s.Info.Patch), s.PatchText);
            Write(Path.Combine(submit, s.Info.Description), s.DescriptionText);
        }
        return files;
    }

    /// <summary>Creates <paramref name="outputDirectory"/> and an empty submit/ in it (files of an earlier run removed); returns submit/.</summary>
    public static string ClearSubmitDirectory(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var submit = Path.Combine(outputDirectory, "submit");
        if (Directory.Exists(submit))
            foreach (var stale in Directory.EnumerateFiles(submit))
                File.Delete(stale);
        Directory.CreateDirectory(submit);
        return submit;
    }

    /// <summary>Reads a report.json back.</summary>
    public static UpstreamReportData ReadJson(string path) =>
        JsonSerializer.Deserialize<UpstreamReportData>(File.ReadAllText(path), JsonOptions)
        ?? throw new TritonMesosException("empty report", path);
}
