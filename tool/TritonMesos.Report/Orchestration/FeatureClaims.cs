using System.Text.RegularExpressions;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

/// <summary>Whether each feature's Upstream-Status claim holds on each ref: by the flags upstream defines, named commits and the patches' status.</summary>
internal static partial class FeatureClaims
{
    /// <summary>Where Mesos defines its agent and master flags.</summary>
    public static readonly IReadOnlyList<string> FlagFiles = ["src/slave/flags.cpp", "src/master/flags.cpp"];

    [GeneratedRegex(@"add\(\s*&Flags::\w+\s*,\s*""(?<name>\w+)""")]
    private static partial Regex FlagDefinition();

    [GeneratedRegex(@"\b[0-9a-f]{7,40}\b")]
    private static partial Regex CommitId();

    [GeneratedRegex(@"^\d+(\.\d+){1,2}$")]
    private static partial Regex VersionText();

    /// <summary>The flag name in a feature or header flag entry: <c>agent name type default</c>, <c>--name=value</c> or <c>name</c>.</summary>
    public static string FlagName(string entry)
    {
        if (RuntimeFlag.TryParse(entry, out _) is { } flag)
            return flag.Name;
        var token = entry.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        token = token.TrimStart('-');
        var equals = token.IndexOf('=');
        return equals >= 0 ? token[..equals] : token;
    }

    /// <summary>Flag names defined by add(&amp;Flags::…, "name") in the agent and master flags.cpp of a commit.</summary>
    public static IReadOnlySet<string> UpstreamFlags(UpstreamRepository repository, string commit) =>
        FlagFiles.Select(f => repository.ReadFile(commit, f))
            .OfType<Diffs.TextFile>()
            .SelectMany(t => FlagDefinition().Matches(t.ToText()).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary><see cref="UpstreamFlags(UpstreamRepository, string)"/>, cached by the blob ids of the flags files (no blob read on a hit).</summary>
    public static IReadOnlySet<string> UpstreamFlags(UpstreamRepository repository, string commit, OutcomeCache cache)
    {
        var key = OutcomeCache.Key(["flags", .. FlagFiles.Select(f => repository.BlobId(commit, f) ?? "-")]);
        if (cache.FindValue(key) is { } names)
            return names.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var flags = UpstreamFlags(repository, commit);
        cache.AddValue(key, string.Join('\n', flags.Order(StringComparer.Ordinal)));
        return flags;
    }

    /// <summary>The feature claims per ref; <paramref name="upstreamFlags"/> holds <see cref="UpstreamFlags(UpstreamRepository, string)"/> of every ref's commit and of the lock commit when the clone has it.</summary>
    public static IReadOnlyList<FeatureReport> Evaluate(FeatureList declared, IReadOnlyList<PreparedPatch> patches,
        IReadOnlyList<PatchReport> patchReports, IReadOnlyList<RefInfo> refs, IReadOnlyDictionary<string, IReadOnlySet<string>> upstreamFlags,
        string lockCommit, UpstreamRepository repository)
    {
        var flagsByRef = refs.ToDictionary(r => r.Name, r => upstreamFlags[r.Commit]);
        // A flag upstream defines at the lock is one the feature relies on (or extends); any other flag is one the series adds.
        var lockFlags = upstreamFlags.TryGetValue(lockCommit, out var atLock) ? atLock : flagsByRef[refs[^1].Name];
        var ids = declared.Features.Select(f => f.Id)
            .Concat(patches.Select(p => p.File.Feature).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var reports = new List<FeatureReport>();
        foreach (var id in ids)
        {
            var declaration = declared.Features.FirstOrDefault(f => f.Id == id);
            var own = patchReports.Where(p => p.Feature == id).ToList();
            var flags = declaration?.Flags is { Count: > 0 } declaredFlags ? declaredFlags : own.SelectMany(p => p.Flags).Distinct().ToList();
            var status = declaration?.UpstreamStatus ?? own.Select(p => p.UpstreamStatus).FirstOrDefault(s => s is not null) ?? "Pending";
            var evidence = declaration?.Evidence ?? "";
            var parsed = UpstreamStatus.TryParse(status, out _);
            var names = flags.Select(FlagName).Where(n => n.Length > 0).Distinct().ToList();
            var upstreamNames = names.Where(lockFlags.Contains).ToList();
            var ownNames = names.Where(n => !lockFlags.Contains(n)).ToList();

            string? commit = null, version = null;
            if (parsed is { Kind: UpstreamStatusKind.Backport } backport)
            {
                var detail = backport.Detail ?? "";
                commit = CommitId().Matches(detail).Select(m => repository.FullCommitId(m.Value)).FirstOrDefault(c => c is not null);
                version = detail.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(VersionText().IsMatch);
            }
            var claimParts = new List<string>();
            if (parsed is { Kind: UpstreamStatusKind.Backport })
                claimParts.Add($"upstream has it from {version ?? "?"} on (commit {(commit is null ? parsed.Detail : commit[..9])})");
            if (upstreamNames.Count > 0)
                claimParts.Add("relies on upstream " + string.Join(", ", upstreamNames.Select(n => "--" + n)));
            if (ownNames.Count > 0)
                claimParts.Add("adds " + string.Join(", ", ownNames.Select(n => "--" + n)) + " (not upstream)");
            if (own.Count > 0 && parsed is not { Kind: UpstreamStatusKind.Backport })
                claimParts.Add("its patches are not upstream");
            if (claimParts.Count == 0)
                claimParts.Add("nothing to check");

            FeatureCell Evaluate(RefInfo r)
            {
                var failures = new List<string>();
                var passes = new List<string>();
                if (parsed is { Kind: UpstreamStatusKind.Backport })
                {
                    var cell = commit is not null
                        ? new FeatureCell(r.Name, repository.IsAncestor(commit, r.Commit), $"{commit[..9]} {(repository.IsAncestor(commit, r.Commit) ? "is" : "is not")} in {r.Name}")
                        : ByVersion(r, version);
                    (cell.Holds ? passes : failures).Add(cell.Detail);
                }
                foreach (var n in upstreamNames)
                    (flagsByRef[r.Name].Contains(n) ? passes : failures).Add($"--{n} {(flagsByRef[r.Name].Contains(n) ? "defined" : "not defined")}");
                foreach (var n in ownNames)
                    (flagsByRef[r.Name].Contains(n) ? failures : passes).Add($"--{n} {(flagsByRef[r.Name].Contains(n) ? "now defined upstream" : "absent upstream")}");
                if (parsed is not { Kind: UpstreamStatusKind.Backport })
                    foreach (var p in own.Where(p => p.Cells.First(c => c.Ref == r.Name).Alone.Status == ApplyStatus.AlreadyUpstream))
                        failures.Add($"{p.File} already upstream");
                return failures.Count == 0
                    ? new FeatureCell(r.Name, true, passes.Count == 0 ? "nothing to check" : string.Join("; ", passes))
                    : new FeatureCell(r.Name, false, string.Join("; ", failures));
            }

            reports.Add(new FeatureReport(id, declaration?.Description ?? own.FirstOrDefault()?.Subject ?? "", flags, status, evidence,
                own.Select(p => p.File).ToList(), string.Join("; ", claimParts), refs.Select(Evaluate).ToList()));
        }
        return reports;
    }

    private static FeatureCell ByVersion(RefInfo r, string? version)
    {
        if (version is null || !Version.TryParse(version, out var wanted))
            return new FeatureCell(r.Name, false, "no commit or version to check");
        if (!Version.TryParse(r.Name, out var have))
            return new FeatureCell(r.Name, true, $"{r.Name} is not a release; assumed ≥ {version}");
        return new FeatureCell(r.Name, have >= wanted, have >= wanted ? $"{r.Name} ≥ {version}" : $"{r.Name} < {version}");
    }
}
