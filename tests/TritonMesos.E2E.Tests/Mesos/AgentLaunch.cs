using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>
/// How the agent container is started from the image: the image's entrypoint in <c>agent</c> mode, TRITON_MESOS_PROFILE
/// choosing the profile, and each flag override as MESOS_&lt;NAME&gt; (the entrypoint's precedence: profile, then MESOS_*).
/// A flag the test wants unset cannot be expressed as an override, so then the <c>upstream</c> profile (work_dir only) is
/// used with the chosen profile's other flags, read from the repository's profiles/, passed explicitly.
/// </summary>
public static partial class AgentLaunch
{
    /// <summary>Container parameters for an agent with <paramref name="profile"/> and <paramref name="flags"/>, minus <paramref name="unset"/>, and the profile's <paramref name="variables"/>.</summary>
    public static CreateContainerParameters Create(AgentImage image, string profile, IReadOnlyDictionary<string, string> flags, IReadOnlySet<string> unset,
        IReadOnlyDictionary<string, string>? variables = null)
    {
        var effective = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var profileName = profile;
        if (unset.Count > 0)
        {
            foreach (var (name, value) in ProfileFlags(profile))
                if (!unset.Contains(name))
                    effective[name] = value;
            profileName = "upstream";
        }
        foreach (var (name, value) in flags)
            effective[name] = value;

        return new CreateContainerParameters
        {
            Image = image.Id,
            Cmd = ["agent"],
            Env =
            [
                $"TRITON_MESOS_PROFILE={profileName}", .. (variables ?? new Dictionary<string, string>()).Select(v => $"{v.Key}={v.Value}"),
                .. effective.Select(f => $"MESOS_{f.Key.ToUpperInvariant()}={f.Value}"),
            ],
        };
    }

    /// <summary>Where the client certificates are mounted in the agent container.</summary>
    public const string TlsMountPoint = "/etc/triton/docker";

    /// <summary>
    /// An agent of a test cluster: <paramref name="spec"/> plus the flags that wire it to this run (master, ip, port, work_dir,
    /// the endpoint's socket and TLS directory), on the host network with its work dir mounted at the same path.
    /// </summary>
    public static CreateContainerParameters ForCluster(AgentImage image, AgentSpec spec, string master, int port, string workDir, string? runEndpoint)
    {
        var flags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["master"] = master,
            ["ip"] = "127.0.0.1",
            ["hostname"] = "127.0.0.1",
            ["port"] = port.ToString(),
            ["work_dir"] = workDir,
        };
        if (spec.UseEndpoint)
            flags[Features.RemoteDocker.DockerSocket.Name] = spec.EndpointUrl ?? runEndpoint ?? throw new InvalidOperationException("no endpoint is running");
        if (spec.TlsDir is not null)
            flags[Features.RemoteDocker.DockerTlsCertPath.Name] = TlsMountPoint;
        foreach (var (key, value) in spec.Flags)
            flags[key] = value;

        var binds = new List<string> { $"{workDir}:{workDir}" };
        if (spec.TlsDir is not null)
            binds.Add($"{spec.TlsDir}:{TlsMountPoint}:ro");
        if (spec.MountEngineSocket is not null)
            binds.Add($"{spec.MountEngineSocket}:/var/run/docker.sock");

        var create = Create(image, spec.Profile, flags, spec.Unset, spec.Environment);
        create.HostConfig = new HostConfig { NetworkMode = "host", Binds = binds };
        return create;
    }

    /// <summary>The flags of a profile in the repository's profiles/ directory, ${VAR:-default} expanded to the default (a flag whose variables all have an empty default is left out).</summary>
    public static IReadOnlyDictionary<string, string> ProfileFlags(string profile)
    {
        var path = Path.Combine(RepositoryRoot(), "profiles", profile + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in doc.RootElement.GetProperty("flags").EnumerateObject())
        {
            var value = flag.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                JsonValueKind.String => flag.Value.GetString(),
                _ => flag.Value.GetRawText(),
            };
            var variables = value is null ? [] : Variable().Matches(value).ToList();
            // As the entrypoint does: a value whose variables all expand to nothing leaves the flag out (e.g. domain).
            if (value is not null && (variables.Count == 0 || variables.Any(m => !m.Groups["default"].Success || m.Groups["default"].Value.Length > 0)))
                result[flag.Name] = Variable().Replace(value, m => m.Groups["default"].Success ? m.Groups["default"].Value : "");
        }
        return result;
    }

    private static string RepositoryRoot()
    {
        // The test binaries may live elsewhere (--artifacts-path); this source file's path still points into the tree.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(ThisFile())! })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "triton-mesos.sln")))
                    return dir.FullName;
        throw new InvalidOperationException($"no triton-mesos.sln above {AppContext.BaseDirectory}: cannot read profiles/");
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"\$\{(?<var>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
