using System.Text;

namespace TritonMesos.Pipeline;

/// <summary>The printed form of a <see cref="VerifyResult"/>: problems and diffs (for stderr), then what was not checked.</summary>
public static class VerifyText
{
    /// <summary>Problems and differences, each with file, line or unified diff, and the next step.</summary>
    public static string RenderErrors(VerifyResult result)
    {
        var text = new StringBuilder();
        foreach (var problem in result.Problems)
            text.AppendLine("error: " + problem.Render());
        foreach (var difference in result.Differences)
        {
            text.AppendLine($"error: patches/{difference.FileName} differs from a re-export:");
            text.AppendLine(difference.UnifiedDiff.TrimEnd());
        }
        if (result.FixedPatchesDir is not null)
            text.AppendLine($"  next: copy the corrected files from {result.FixedPatchesDir} into patches/ " +
                            "(or run `triton-mesos apply` then `triton-mesos export`)");
        return text.ToString();
    }

    /// <summary>What was not checked, and the one-line verdict.</summary>
    public static string RenderSummary(VerifyResult result)
    {
        var text = new StringBuilder();
        foreach (var item in result.NotChecked)
            text.AppendLine("not checked: " + item);
        text.AppendLine(result.Verdict);
        return text.ToString();
    }
}
