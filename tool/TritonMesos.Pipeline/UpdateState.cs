using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos.Pipeline;

/// <summary>One patch's progress in an update: pending, applied, applied-3way, resolved, dropped or stopped.</summary>
internal sealed record PatchProgress(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("detail")] string Detail)
{
    public PatchProgress WithAction(string action, string detail) => this with { Action = action, Detail = detail };
}

/// <summary>The update in progress, kept in <c>.work/update/state.json</c> between <c>update</c> and <c>--continue</c>/<c>--abort</c>.</summary>
internal sealed record UpdateState(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("upstream")] string Upstream,
    [property: JsonPropertyName("inputsHash")] string InputsHash,
    [property: JsonPropertyName("patches")] IReadOnlyList<PatchProgress> Patches)
{
    /// <summary>The state file name inside the scratch directory.</summary>
    public const string FileName = "state.json";

    public UpdateState WithPatch(int index, PatchProgress progress) =>
        this with { Patches = Patches.Select((p, i) => i == index ? progress : p).ToList() };

    /// <summary>Reads the state; null when no update is in progress.</summary>
    public static UpdateState? Load(string scratch)
    {
        var path = Path.Combine(scratch, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<UpdateState>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new TritonMesosException($"damaged update state: {e.Message}", path,
                nextStep: "run `triton-mesos update --abort` to discard the scratch worktree", inner: e);
        }
    }

    public void Save(string scratch) =>
        File.WriteAllText(Path.Combine(scratch, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>A hash of patches/ (series and listed files) and the lock, to notice edits made while an update is open.</summary>
    public static string HashInputs(string patchesDirectory, string lockPath)
    {
        var sb = new StringBuilder();
        foreach (var path in Directory.EnumerateFiles(patchesDirectory).Order(StringComparer.Ordinal).Append(lockPath))
            sb.Append(Path.GetFileName(path)).Append('\0').Append(File.Exists(path) ? File.ReadAllText(path) : "").Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
