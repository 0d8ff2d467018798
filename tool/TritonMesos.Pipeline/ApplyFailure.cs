using System.Text;
using System.Text.RegularExpressions;

namespace TritonMesos.Pipeline;

/// <summary>Turns a failed <c>git am</c> into a report: the patch, the file, the hunk with line numbers, and the 3-way verdict.</summary>
internal static partial class ApplyFailure
{
    [GeneratedRegex(@"^error: patch failed: (?<file>.+):(?<line>\d+)$", RegexOptions.Multiline)]
    private static partial Regex PatchFailed();

    [GeneratedRegex(@"^error: (?<message>.*) at line (?<line>\d+)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex CorruptAtLine();

    [GeneratedRegex(@"^error: (?<file>[^:]+): (?<message>does not exist in index|No such file or directory|already exists in (index|working directory)|does not match index)$", RegexOptions.Multiline)]
    private static partial Regex FileProblem();

    public static async Task<TritonMesosException> DiagnoseAsync(string directory, PatchFile patch, int index, int count,
        CommandOutput am, bool threeWay, CancellationToken ct)
    {
        var check = await Git.TryRunAsync(directory, ["apply", "--check", "-v", patch.Path], ct);
        var output = check.StandardError + check.StandardOutput;
        var position = $"patch {index + 1}/{count} {patch.FileName}";

        var failed = PatchFailed().Match(output);
        if (failed.Success)
        {
            var file = failed.Groups["file"].Value;
            var line = int.Parse(failed.Groups["line"].Value);
            var hunk = patch.Section(file)?.Hunks.FirstOrDefault(h => h.OldStart == line);
            var verdict = await ThreeWayVerdictAsync(directory, patch, ct);
            var message = new StringBuilder($"{position} does not apply: file {file}");
            message.Append(hunk is null
                ? $", hunk at line {line}"
                : $", hunk #{hunk.Number} `{hunk.Header}` (upstream line {line}, patch line {hunk.Line})");
            message.Append(": its context was not found");
            var searched = SearchedLines(output);
            if (searched.Count > 0)
                message.Append(Environment.NewLine).Append("  expected these lines:").Append(Environment.NewLine)
                    .Append(string.Join(Environment.NewLine, searched.Take(12).Select(l => "    | " + l)));
            message.Append(Environment.NewLine).Append(verdict switch
            {
                true => "  a 3-way merge would resolve it",
                false => "  a 3-way merge would not resolve it either (it conflicts)",
                null => "  a 3-way merge is not possible (the patch's preimage blobs are not in the upstream history)",
            });
            var next = verdict == true && !threeWay
                ? "run `triton-mesos apply --3way`, check the result, then `triton-mesos export` to refresh the patch"
                : $"rebase the patch: in the work tree run `git am --3way {patch.Path}`, resolve the conflict, " +
                  "`git am --continue`, then `triton-mesos export`";
            return new TritonMesosException(message.ToString(), patch.Path, hunk?.Line, next);
        }

        var fileProblem = FileProblem().Match(output);
        if (fileProblem.Success)
            return new TritonMesosException(
                $"{position} does not apply: file {fileProblem.Groups["file"].Value}: {fileProblem.Groups["message"].Value}",
                patch.Path, patch.Sections.FirstOrDefault(f => f.NewPath == fileProblem.Groups["file"].Value || f.OldPath == fileProblem.Groups["file"].Value)?.Line,
                "the file the patch expects is not there (or already exists) upstream: rebase the patch, then `triton-mesos export`");

        var corrupt = CorruptAtLine().Match(output);
        if (corrupt.Success)
            return new TritonMesosException(
                $"{position} is corrupt: {corrupt.Groups["message"].Value}{corrupt.Groups["rest"].Value}",
                patch.Path, int.Parse(corrupt.Groups["line"].Value),
                "re-create the patch with `triton-mesos export` (or `git format-patch`); do not edit diff lines by hand");

        return new TritonMesosException($"{position} does not apply: {am.Diagnostics}{Environment.NewLine}{output.Trim()}",
            patch.Path, nextStep: "re-create the patch with `triton-mesos export` from a work tree where it applies");
    }

    /// <summary>True when <c>git apply --3way</c> would merge without conflicts; null when it cannot even try.</summary>
    private static async Task<bool?> ThreeWayVerdictAsync(string directory, PatchFile patch, CancellationToken ct)
    {
        var result = await Git.TryRunAsync(directory, ["apply", "--3way", "--check", patch.Path], ct);
        var output = result.StandardError + result.StandardOutput;
        if (!result.Succeeded)
            return output.Contains("with conflicts", StringComparison.Ordinal) ? false : null;
        return !output.Contains("with conflicts", StringComparison.Ordinal);
    }

    private static List<string> SearchedLines(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l == "error: while searching for:");
        if (start < 0)
            return [];
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("error: ", StringComparison.Ordinal)).ToList()
            is var searched && searched.Count > 0 && searched[^1].Length == 0 ? searched[..^1] : searched;
    }
}
