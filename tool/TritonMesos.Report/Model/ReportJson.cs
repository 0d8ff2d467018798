using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos.Report;

/// <summary>The area's one JSON naming (camelCase properties; statuses by <see cref="ApplyStatusJson"/>), compiled: report.json and the history cache.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UpstreamReportData))]
[JsonSerializable(typeof(PatchHistory))]
internal sealed partial class ReportJson : JsonSerializerContext
{
    /// <summary>The options of report.json: the naming above, indented, non-ASCII unescaped.</summary>
    /// <remarks>Made on first use: the generated <see cref="Default"/> is initialized in another part of this class.</remarks>
    public static JsonSerializerOptions Indented => field ??= new(Default.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
