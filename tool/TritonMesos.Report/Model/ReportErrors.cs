namespace TritonMesos.Report;

/// <summary>Every error the report raises, worded in one place: what went wrong, where, and the next step.</summary>
internal static class ReportErrors
{
    private const string InstallGit = "install git (apt-get install -y git)";

    /// <summary>--upstream-url names a remote; the report reads local clones only.</summary>
    public static TritonMesosException RemoteUpstream(string url) =>
        new($"--upstream-url '{url}' is remote; the report reads a local clone only",
            nextStep: "clone it first (`git clone --bare <url> <dir>`) or let the pipeline fill its cache, then pass the local path");

    /// <summary>No --upstream-url and no clone in the pipeline's cache.</summary>
    public static TritonMesosException NoUpstreamClone(IEnumerable<string> searched) =>
        new("no upstream clone found (searched " + string.Join(", ", searched) + ")",
            nextStep: "run `./build.sh Patch --upstream-url <Mesos clone or URL>` once to fill the pipeline cache, or pass --upstream-url <path of a local Mesos clone with tags>");

    /// <summary>The clone's directory is missing.</summary>
    public static TritonMesosException CloneMissing(string path) =>
        new($"upstream clone '{path}' does not exist",
            nextStep: "pass --upstream-url <path of a local Mesos clone with tags>, or fill the cache with the pipeline (`./build.sh Patch --upstream-url <Mesos clone or URL>`)");

    /// <summary>The clone's directory is not a git repository.</summary>
    public static TritonMesosException NotARepository(string path, Exception inner) =>
        new($"'{path}' is not a git repository", nextStep: "pass --upstream-url <path of a local Mesos clone>", inner: inner);

    /// <summary>No ref was asked for and the clone has no release tag nor main branch.</summary>
    public static TritonMesosException NoRefs(string upstreamPath, Version oldest) =>
        new($"the upstream clone {upstreamPath} has no release tags (x.y.z) from {oldest} on and no master",
            nextStep: "fetch tags into the clone (`git fetch --tags`) or name refs with --refs");

    /// <summary>Refs the clone does not resolve.</summary>
    public static TritonMesosException UnknownRefs(IEnumerable<string> unknown, string upstreamPath) =>
        new($"unknown upstream ref(s): {string.Join(", ", unknown)} (in {upstreamPath})",
            nextStep: "use tags, branches or commits of the upstream clone, e.g. --refs 1.9.0,1.10.0,master; update the clone if a tag is new");

    /// <summary>git cannot be started.</summary>
    public static TritonMesosException GitMissing(Exception inner) => new("git is not installed or not on PATH", nextStep: InstallGit, inner: inner);

    /// <summary>git cat-file was started but gave no process.</summary>
    public static TritonMesosException CatFileNotStarted() => new("git cat-file did not start");

    /// <summary>git cat-file ended while answers were expected.</summary>
    public static TritonMesosException CatFileEnded(string directory, int exitCode) =>
        new($"git cat-file in {directory} ended unexpectedly (exit {exitCode})");

    /// <summary>git cat-file ended inside an object.</summary>
    public static TritonMesosException CatFileTruncated() => new("git cat-file ended in the middle of an object");

    /// <summary>A report.json that holds nothing.</summary>
    public static TritonMesosException EmptyReport(string path) => new("empty report", path);

    /// <summary>update --continue and --abort together.</summary>
    public static TritonMesosException ContinueAndAbort() => new("--continue and --abort exclude each other", nextStep: "pass one of them");

    /// <summary>A malformed outcome cache entry (the cache is then ignored with a warning).</summary>
    public static InvalidDataException MalformedCache(string what) => new(what);
}
