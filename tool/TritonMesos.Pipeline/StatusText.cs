using System.Text;

namespace TritonMesos.Pipeline;

/// <summary>The human-readable form of a <see cref="StatusResult"/>.</summary>
public static class StatusText
{
    public static string Render(StatusResult status)
    {
        var text = new StringBuilder();
        if (!status.Exists)
        {
            text.AppendLine($"no work tree at {status.WorkDir}; run `triton-mesos apply`");
            return text.ToString();
        }
        text.AppendLine($"work tree: {status.WorkDir}");
        text.AppendLine($"upstream:  {status.BaseCommit}{(status.BaseCommit == status.LockCommit ? " (the lock's commit)" : $" (the lock now pins {status.LockCommit}: re-run apply)")}");
        text.AppendLine($"HEAD:      {status.Head}");
        text.AppendLine($"features:  {(status.Features is null ? "all" : string.Join(", ", status.Features))}");
        text.AppendLine($"{status.Commits.Count} commit(s) on top of upstream:");
        foreach (var commit in status.Commits)
        {
            var state = commit.State switch
            {
                CommitExportState.Exported => $"= patches/{commit.PatchFile}",
                CommitExportState.Changed when status.HeadIsAsApplied =>
                    $"applied from patches/{commit.PatchFile}; the file is not in canonical export form (`triton-mesos export` rewrites it)",
                CommitExportState.Changed => $"changed, differs from patches/{commit.PatchFile}",
                _ => "new, not in patches/",
            };
            text.AppendLine($"  {commit.Commit[..12]} {commit.Subject}  [{state}]");
        }
        if (status.UncommittedChanges.Count > 0)
        {
            text.AppendLine($"{status.UncommittedChanges.Count} uncommitted change(s):");
            foreach (var change in status.UncommittedChanges.Take(20))
                text.AppendLine("  " + change);
        }
        text.AppendLine(status.HasUnexportedWork
            ? "the work tree has work not in patches/: commit it and run `triton-mesos export` (or discard with `triton-mesos apply --force`)"
            : "everything in the work tree is in patches/");
        if (status.InputsChangedSinceApply)
            text.AppendLine("patches/ or upstream.lock changed since the last apply: run `triton-mesos apply`");
        return text.ToString();
    }
}
