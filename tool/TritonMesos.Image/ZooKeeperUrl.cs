using System.Globalization;

namespace TritonMesos.Image;

/// <summary>One ZooKeeper server of a <see cref="ZooKeeperUrl"/>.</summary>
public sealed record ZooKeeperServer(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// A Mesos ZooKeeper URL, <c>zk://[user:password@]host:port[,host:port…]/path</c> (<c>--zk</c> of the master,
/// <c>--master</c> of an agent in an HA cluster). Mesos' own parser (include/mesos/zookeeper/url.hpp) only checks the
/// <c>zk://</c> prefix; this one also refuses what would fail later, at connect time: an empty server list, a server
/// without a port, a port outside 1-65535, a missing znode path.
/// </summary>
public sealed record ZooKeeperUrl(IReadOnlyList<ZooKeeperServer> Servers, string Path, bool HasCredentials)
{
    /// <summary>The scheme Mesos expects.</summary>
    public const string Scheme = "zk://";

    /// <summary>An example value for error messages.</summary>
    public const string Example = "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos";

    /// <summary>Parses a ZooKeeper URL; on failure returns null and says what is wrong in <paramref name="problem"/>.</summary>
    public static ZooKeeperUrl? TryParse(string value, out string? problem)
    {
        problem = Check(value, out var url);
        return url;
    }

    private static string? Check(string value, out ZooKeeperUrl? url)
    {
        url = null;
        if (!value.StartsWith(Scheme, StringComparison.Ordinal))
            return $"expected a ZooKeeper URL starting with {Scheme}, e.g. {Example}";
        var rest = value[Scheme.Length..];
        var slash = rest.IndexOf('/');
        if (slash < 0 || slash == rest.Length - 1)
            return $"no znode path after the servers (Mesos keeps its leader election and replicated log under it), e.g. {Example}";
        var path = rest[slash..];
        if (path.Contains("//", StringComparison.Ordinal) || path.EndsWith('/') || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return $"znode path '{path}' is malformed: '/'-separated names, no empty name, no trailing '/', no spaces";
        var authority = rest[..slash];
        var at = authority.LastIndexOf('@');
        var credentials = at >= 0;
        if (credentials && !authority[..at].Contains(':'))
            return "credentials before '@' must be user:password";
        var servers = new List<ZooKeeperServer>();
        foreach (var part in (credentials ? authority[(at + 1)..] : authority).Split(','))
        {
            var colon = part.LastIndexOf(':');
            if (part.Length == 0)
                return $"empty server in '{Redacted(authority, at)}': servers are host:port separated by commas";
            if (colon <= 0)
                return $"server '{part}' has no port: write host:port (ZooKeeper's client port is usually 2181)";
            var host = part[..colon];
            if (host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#'))
                return $"server '{part}' has a malformed host";
            if (!int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                return $"server '{part}': the port must be a number from 1 to 65535";
            servers.Add(new ZooKeeperServer(host, port));
        }
        url = new ZooKeeperUrl(servers, path, credentials);
        return null;
    }

    private static string Redacted(string authority, int at) => at < 0 ? authority : "…@" + authority[(at + 1)..];

    public override string ToString() => Scheme + (HasCredentials ? "…@" : "") + string.Join(',', Servers) + Path;
}
