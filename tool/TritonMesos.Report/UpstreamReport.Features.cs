using System.Text.RegularExpressions;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

public static partial class UpstreamReport
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

    private static IReadOnlyList<FeatureReport> EvaluateFeatures(FeatureList declared, IReadOnlyList<PreparedPatch> patches,
        IReadOnlyList<PatchReport> patchReports, IReadOnlyList<RefInfo> refs, UpstreamRepository repository)
    {
        var flagsByRef = refs.ToDictionary(r => r.Name, r => UpstreamFlags(repository, r.Commit));
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
            string claim;
            Func<RefInfo, FeatureCell> evaluate;
            if (parsed is { Kind: UpstreamStatusKind.Backport } backport)
            {
                var detail = backport.Detail ?? "";
                var commit = CommitId().Matches(detail).Select(m => repository.FullCommitId(m.Value)).FirstOrDefault(c => c is not null);
                var version = detail.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(VersionText().IsMatch);
                claim = $"upstream has it from {version ?? "?"} on (commit {(commit is null ? detail : commit[..9])})";
                evaluate = r => commit is not null
                    ? repository.IsAncestor(commit, r.Commit)
                        ? new FeatureCell(r.Name, true, $"{commit[..9]} is in {r.Name}")
                        : new FeatureCell(r.Name, false, $"{commit[..9]} is not in {r.Name}")
                    : ByVersion(r, version);
            }
            else if (own.Count == 0)
            {
                var evidenceCommit = CommitId().Matches(evidence).Select(m => repository.FullCommitId(m.Value)).FirstOrDefault(c => c is not null);
                claim = names.Count > 0 ? $"upstream provides it: {string.Join(", ", names.Select(n => "--" + n))}"
                    : evidenceCommit is not null ? $"upstream provides it (commit {evidenceCommit[..9]})" : "upstream provides it (no flag or commit to check)";
                evaluate = r =>
                {
                    if (names.Count > 0)
                    {
                        var absent = names.Where(n => !flagsByRef[r.Name].Contains(n)).ToList();
                        return absent.Count == 0
                            ? new FeatureCell(r.Name, true, string.Join(", ", names.Select(n => "--" + n)) + " defined")
                            : new FeatureCell(r.Name, false, string.Join(", ", absent.Select(n => "--" + n)) + " not in flags.cpp");
                    }
                    if (evidenceCommit is not null)
                        return new FeatureCell(r.Name, repository.IsAncestor(evidenceCommit, r.Commit), $"commit {evidenceCommit[..9]}");
                    return new FeatureCell(r.Name, true, "nothing to check");
                };
            }
            else
            {
                claim = $"not upstream ({parsed?.Kind.ToString() ?? status}): the series carries it" + (names.Count > 0 ? $" behind {string.Join(", ", names.Select(n => "--" + n))}" : "");
                evaluate = r =>
                {
                    var present = names.Where(n => flagsByRef[r.Name].Contains(n)).ToList();
                    var merged = own.Where(p => p.Cells.First(c => c.Ref == r.Name).Alone.Status == ApplyStatus.AlreadyUpstream).Select(p => p.File).ToList();
                    if (present.Count == 0 && merged.Count == 0)
                        return new FeatureCell(r.Name, true, names.Count > 0 ? "flag absent upstream" : "patch not upstream");
                    return new FeatureCell(r.Name, false, string.Join("; ",
                        present.Select(n => $"--{n} now defined upstream").Concat(merged.Select(m => $"{m} already upstream"))));
                };
            }
            reports.Add(new FeatureReport(id, declaration?.Description ?? own.FirstOrDefault()?.Subject ?? "", flags, status, evidence,
                own.Select(p => p.File).ToList(), claim, refs.Select(evaluate).ToList()));
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
