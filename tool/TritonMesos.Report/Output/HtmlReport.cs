using System.Globalization;
using System.Net;
using System.Text;

namespace TritonMesos.Report;

/// <summary>report.html: one self-contained, well-formed (XML-parsable) page with the matrix as inline SVG.</summary>
internal static class HtmlReport
{
    private const int LabelWidth = 330, CellWidth = 34, CellHeight = 24, HeaderHeight = 70, Gap = 2;

    /// <summary>Renders the page.</summary>
    public static string Render(UpstreamReportData data)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        sb.Append("<title>triton-mesos upstreaming report</title>\n<style>\n");
        sb.Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222}");
        sb.Append("h1{font-size:22px}h2{font-size:18px;margin-top:32px}h3{font-size:15px}");
        sb.Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}");
        sb.Append("pre{background:#f6f6f6;padding:8px;font-size:12px;overflow-x:auto}");
        sb.Append("svg text{font-family:system-ui,sans-serif;font-size:12px}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;border-radius:3px}");
        sb.Append("\n</style>\n</head>\n<body>\n");
        sb.Append("<h1>Upstreaming report</h1>\n");
        sb.Append($"<p>{data.Patches.Count} patches on {data.Refs.Count} upstream refs; locked to <code>{E(data.Lock.Ref)}</code> ({E(data.Lock.Commit[..12])}). ");
        sb.Append("Cells show each patch applied on top of the earlier ones (series order); a dot marks a cell whose patch-alone result differs. Hover a cell for details.</p>\n");
        sb.Append("<p class=\"legend\">");
        foreach (var status in Enum.GetValues<ApplyStatus>())
            sb.Append($"<span style=\"background:{status.Colour()}\">{E(status.Name())}</span>");
        sb.Append("</p>\n");
        sb.Append(Matrix(data));

        sb.Append("<h2 id=\"patches\">Patches</h2>\n");
        foreach (var p in data.Patches)
            sb.Append(PatchSection(p));
        if (data.Features.Count > 0)
        {
            sb.Append("<h2 id=\"features\">Features</h2>\n<table>\n<tr><th>feature</th><th>flags</th><th>Upstream-Status</th><th>claim</th><th>evidence</th><th>holds on</th></tr>\n");
            foreach (var f in data.Features)
                sb.Append($"<tr><td>{E(f.Id)}</td><td>{E(string.Join(", ", f.Flags))}</td><td>{E(f.UpstreamStatus)}</td><td>{E(f.Claim)}</td><td>{E(f.Evidence)}</td>" +
                          $"<td>{E(Holds(f))}</td></tr>\n");
            sb.Append("</table>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The SVG picture: patch rows, then feature rows, one column per ref.</summary>
    private static string Matrix(UpstreamReportData data)
    {
        var rows = data.Patches.Count + (data.Features.Count > 0 ? data.Features.Count + 1 : 0);
        var width = LabelWidth + data.Refs.Count * CellWidth + 10;
        var height = HeaderHeight + rows * CellHeight + 10;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"matrix\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">\n");
        sb.Append("<title>patch × ref matrix</title>\n");
        for (var c = 0; c < data.Refs.Count; c++)
        {
            var x = LabelWidth + c * CellWidth + CellWidth / 2;
            sb.Append($"<text x=\"{x}\" y=\"{HeaderHeight - 6}\" transform=\"rotate(-55 {x} {HeaderHeight - 6})\" class=\"ref\">{E(data.Refs[c].Name)}{(data.Refs[c].Name == data.Lock.Ref ? " (lock)" : "")}</text>\n");
        }
        var y = HeaderHeight;
        foreach (var p in data.Patches)
        {
            sb.Append($"<g class=\"row\" data-patch=\"{E(p.File)}\">\n");
            sb.Append($"<text x=\"4\" y=\"{y + CellHeight / 2 + 4}\"><a href=\"#{Id(p.File)}\">{E(Truncate(p.File, 44))}</a></text>\n");
            for (var c = 0; c < p.Cells.Count; c++)
            {
                var cell = p.Cells[c];
                var status = cell.Cumulative.Status;
                var x = LabelWidth + c * CellWidth;
                var hover = $"{p.File} on {cell.Ref}: {cell.Cumulative.Describe()}" +
                            (cell.Alone.Status != status ? $"\nalone: {cell.Alone.Describe()}" : "") + ConflictText(cell.Cumulative);
                sb.Append($"<rect x=\"{x + Gap / 2}\" y=\"{y + Gap / 2}\" width=\"{CellWidth - Gap}\" height=\"{CellHeight - Gap}\" fill=\"{status.Colour()}\" data-ref=\"{E(cell.Ref)}\" data-status=\"{status.Name()}\">");
                sb.Append($"<title>{E(hover)}</title></rect>\n");
                if (cell.Alone.Status != status)
                    sb.Append($"<circle cx=\"{x + CellWidth - 8}\" cy=\"{y + 7}\" r=\"3\" fill=\"#fff\"><title>{E("alone: " + cell.Alone.Describe())}</title></circle>\n");
            }
            sb.Append("</g>\n");
            y += CellHeight;
        }
        if (data.Features.Count > 0)
        {
            sb.Append($"<text x=\"4\" y=\"{y + CellHeight / 2 + 4}\" font-weight=\"bold\">features (claim holds?)</text>\n");
            y += CellHeight;
            foreach (var f in data.Features)
            {
                sb.Append($"<g class=\"feature\" data-feature=\"{E(f.Id)}\">\n");
                sb.Append($"<text x=\"4\" y=\"{y + CellHeight / 2 + 4}\">{E(Truncate(f.Id + " — " + f.UpstreamStatus, 48))}</text>\n");
                for (var c = 0; c < f.Cells.Count; c++)
                {
                    var cell = f.Cells[c];
                    var x = LabelWidth + c * CellWidth;
                    sb.Append($"<rect x=\"{x + Gap / 2}\" y=\"{y + Gap / 2}\" width=\"{CellWidth - Gap}\" height=\"{CellHeight - Gap}\" fill=\"{(cell.Holds ? "#5aa7a0" : "#e4e4e4")}\" data-ref=\"{E(cell.Ref)}\" data-holds=\"{(cell.Holds ? "true" : "false")}\">");
                    sb.Append($"<title>{E($"{f.Id} on {cell.Ref}: {(cell.Holds ? "holds" : "does not hold")} — {f.Claim}\n{cell.Detail}")}</title></rect>\n");
                }
                sb.Append("</g>\n");
                y += CellHeight;
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string PatchSection(PatchReport p)
    {
        var sb = new StringBuilder();
        sb.Append($"<section id=\"{Id(p.File)}\" class=\"patch\">\n<h3>{E(p.File)}</h3>\n<p>{E(p.Subject)}</p>\n<table>\n");
        Row(sb, "Feature", p.Feature ?? "(none)");
        Row(sb, "Runtime flags", p.Flags.Count == 0 ? "(none)" : string.Join("; ", p.Flags));
        Row(sb, "Upstream-Status", p.UpstreamStatus ?? "(none)");
        Row(sb, "Forwarded", p.Forwarded ?? "(none)");
        Row(sb, "Last-Update", p.LastUpdate ?? "(none)");
        Row(sb, "patch-id", p.PatchId ?? "(none)");
        Row(sb, "In series order", ApplyStatusText.Runs(p.Cells.Select(c => (c.Ref, c.Cumulative.Status)).ToList()));
        Row(sb, "Alone", ApplyStatusText.Runs(p.Cells.Select(c => (c.Ref, c.Alone.Status)).ToList()));
        if (p.Submit is { } s)
            Row(sb, "Submit", s.Ref is null ? $"submit/{s.Patch} (not regenerated)" : $"submit/{s.Patch} against {s.Ref} ({s.Status?.Name()}); submit/{s.Description}");
        sb.Append("</table>\n<table class=\"diffstat\">\n<tr><th>file</th><th>+</th><th>−</th></tr>\n");
        foreach (var d in p.Diffstat)
            sb.Append($"<tr><td><code>{E(d.Path)}</code></td><td>{d.Added}</td><td>{d.Removed}</td></tr>\n");
        sb.Append("</table>\n");
        foreach (var merged in p.Cells.Select(c => c.Cumulative.UpstreamCommit).OfType<UpstreamCommit>().DistinctBy(c => c.Commit))
            sb.Append($"<p>Upstream has it as <code>{E(merged.Commit[..12])}</code> “{E(merged.Subject)}” (found by {E(merged.FoundBy)}).</p>\n");
        foreach (var group in p.Cells.Where(c => c.Cumulative.Status == ApplyStatus.Conflict)
                     .GroupBy(c => string.Join("\n", c.Cumulative.Conflicts.Select(h => h.File + h.Header + string.Join("\n", h.Upstream)))))
        {
            var refs = group.Select(c => c.Ref).ToList();
            sb.Append($"<h4>Conflicts on {E(refs.Count == 1 ? refs[0] : $"{refs[0]} … {refs[^1]} ({refs.Count} refs)")}</h4>\n");
            foreach (var h in group.First().Cumulative.Conflicts)
            {
                sb.Append($"<p><code>{E(h.File)}</code> hunk #{h.Hunk} <code>{E(h.Header)}</code>: {E(h.Reason)}{(h.UpstreamLine is { } l ? $" (upstream line {l})" : "")}</p>\n");
                sb.Append("<pre>").Append(E(string.Join("\n", h.Expected))).Append("</pre>\n");
                if (h.Upstream.Count > 0)
                    sb.Append("<p>Upstream lines there (base → now):</p>\n<pre>").Append(E(string.Join("\n", h.Upstream))).Append("</pre>\n");
            }
        }
        sb.Append("</section>\n");
        return sb.ToString();
    }

    private static string ConflictText(ApplyResult result) =>
        result.Conflicts.Count == 0 ? ""
            : "\n" + string.Join("\n", result.Conflicts.Take(4).Select(h =>
                $"{h.File} hunk #{h.Hunk} {h.Header}: {h.Reason}" + (h.Upstream.Count > 0 ? "\n  " + string.Join("\n  ", h.Upstream.Take(6)) : "")));

    private static string Holds(FeatureReport f)
    {
        var yes = f.Cells.Where(c => c.Holds).Select(c => c.Ref).ToList();
        return yes.Count == f.Cells.Count ? "all refs" : yes.Count == 0 ? "none" : string.Join(", ", yes);
    }

    private static void Row(StringBuilder sb, string key, string value) =>
        sb.Append($"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>\n");

    private static string Id(string file) => "patch-" + string.Concat(file.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-'));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string E(string text) => WebUtility.HtmlEncode(text.Replace("\r", "")).Replace("\n", "&#10;");
}
