using System.Globalization;

namespace TritonMesos.Image;

/// <summary>A rule broken by a set of rendered flags: which flag, what is wrong, and what to do.</summary>
public sealed record FlagProblem(string Flag, string Problem, string NextStep);

/// <summary>
/// Checks of what a flag's C++ type cannot say: the shape of <c>--domain</c>, <c>--zk</c> and an agent's <c>--master</c>,
/// the registry's name, and the master's quorum against its ZooKeeper and the number of masters. Mesos accepts some of
/// these and fails later (a master without a quorum exits; a bad ZooKeeper host is retried forever), so they are refused
/// before it starts.
/// </summary>
public static class FlagRules
{
    /// <summary>Environment variable with the number of masters of the cluster; when set, the quorum is checked against it.</summary>
    public const string MastersVariable = "TRITON_MESOS_MASTERS";

    /// <summary>The registry strategies mesos-master knows (src/master/main.cpp; log_storage is an old name of replicated_log).</summary>
    public static readonly IReadOnlyList<string> Registries = ["replicated_log", "in_memory", "log_storage"];

    /// <summary>What is wrong with one value beyond its type, or null. Values read from a file (file://) are not checked.</summary>
    public static string? Check(FlagSide program, string name, string value)
    {
        if (value.StartsWith("file://", StringComparison.Ordinal))
            return null;
        switch (program, name)
        {
            case (_, "domain"):
                FaultDomain.TryParse(value, out var domainProblem);
                return domainProblem;
            case (FlagSide.Master, "zk"):
            case (FlagSide.Agent, "master") when value.StartsWith(ZooKeeperUrl.Scheme, StringComparison.Ordinal):
                ZooKeeperUrl.TryParse(value, out var zkProblem);
                return zkProblem;
            case (FlagSide.Agent, "master"):
                return CheckMasterAddress(value);
            case (FlagSide.Master, "quorum"):
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q >= 1
                    ? null : "the quorum must be a positive integer: more than half of the masters (2 of 3, 3 of 5)";
            case (FlagSide.Master, "registry"):
                return Registries.Contains(value) ? null : $"unknown registry: expected {string.Join(" or ", Registries.Take(2))}";
            default:
                return null;
        }
    }

    /// <summary>Rules between flags of one program (and the environment), or null when they hold.</summary>
    public static FlagProblem? CheckTogether(FlagSide program, IReadOnlyList<RenderedFlag> flags, IReadOnlyDictionary<string, string> environment)
    {
        if (program != FlagSide.Master)
            return null;
        string? Value(string name) => flags.FirstOrDefault(f => f.Name == name)?.Value;
        var zk = Value("zk");
        var quorumText = Value("quorum");
        var registry = Value("registry") ?? "replicated_log";
        if (zk is not null && registry != "in_memory" && quorumText is null)
            return new FlagProblem("quorum", "--zk is set with the replicated log registry but --quorum is not (mesos-master would exit)",
                "set the quorum to more than half of the masters: --quorum=2 for 3 masters (profile master: TRITON_MESOS_QUORUM)");
        if (quorumText is null || !int.TryParse(quorumText, NumberStyles.None, CultureInfo.InvariantCulture, out var quorum))
            return null;
        if (zk is null && quorum > 1)
            return new FlagProblem("quorum", $"--quorum={quorum} without --zk: a master without ZooKeeper runs alone and its log has one replica",
                $"give the masters' ZooKeeper ensemble: --zk={ZooKeeperUrl.Example}");
        if (environment.GetValueOrDefault(MastersVariable) is not { Length: > 0 } mastersText)
            return null;
        if (!int.TryParse(mastersText, NumberStyles.None, CultureInfo.InvariantCulture, out var masters) || masters < 1)
            return new FlagProblem("quorum", $"{MastersVariable}='{mastersText}' is not a positive number of masters",
                $"set {MastersVariable} to the number of masters (1, 3 or 5), or leave it unset");
        if (quorum > masters)
            return new FlagProblem("quorum", $"--quorum={quorum} is more than the {masters} masters ({MastersVariable}): no write could ever succeed",
                $"use --quorum={masters / 2 + 1} for {masters} masters");
        if (quorum * 2 <= masters)
            return new FlagProblem("quorum", $"--quorum={quorum} is not more than half of the {masters} masters ({MastersVariable}): two halves could each elect a leader and write",
                $"use --quorum={masters / 2 + 1} for {masters} masters");
        return null;
    }

    private static string? CheckMasterAddress(string value)
    {
        var address = value.StartsWith("master@", StringComparison.Ordinal) ? value["master@".Length..] : value;
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            || address[..colon].Any(c => char.IsWhiteSpace(c) || c is '/' or ','))
            return $"expected host:port of one master (e.g. 10.0.0.1:5050) or the masters' ZooKeeper URL ({ZooKeeperUrl.Example})";
        return null;
    }
}
