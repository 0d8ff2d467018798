namespace TritonMesos.Endpoint;

/// <summary>The fixed values sdc-docker 0.7.11 reports (lib/constants.js, lib/docker.js, package.json).</summary>
internal static class TritonConstants
{
    public const string ServerVersion = "1.9.0";
    public const string ApiVersion = "1.21";
    public const string MinApiVersion = "1.20";
    public const string ServerHeader = "Triton/1.9.0 (linux)";
    public const string PackageVersion = "0.7.11";
}
