namespace TritonMesos;

/// <summary>A feature of the patch series as declared in <c>patches/</c>; the typed instances live in <see cref="Features"/>.</summary>
public abstract class FeatureInfo
{
    protected FeatureInfo(string id, string description, UpstreamStatus? upstreamStatus, IReadOnlyList<string> patches)
    {
        Id = id;
        Description = description;
        UpstreamStatus = upstreamStatus;
        Patches = patches;
    }

    /// <summary>The <c>Feature:</c> id, e.g. <c>sandbox-mount</c>.</summary>
    public string Id { get; }

    /// <summary>The description from features.json (empty when the feature is only in a patch header).</summary>
    public string Description { get; }

    /// <summary>The Upstream-Status from features.json, else from the feature's first patch; null when neither parses.</summary>
    public UpstreamStatus? UpstreamStatus { get; }

    /// <summary>The patch files that carry the feature, in series order (empty for features upstream already has).</summary>
    public IReadOnlyList<string> Patches { get; }

    /// <summary>True when the series carries a patch for it.</summary>
    public bool HasPatch => Patches.Count > 0;

    /// <summary>The runtime flags that toggle the feature.</summary>
    public abstract IReadOnlyList<RuntimeFlag> Flags { get; }

    public override string ToString() => Id;
}

public static partial class Features
{
    /// <summary>The feature with this id, or null.</summary>
    public static FeatureInfo? Find(string id) => All.FirstOrDefault(f => f.Id == id);

    /// <summary>The feature a runtime flag belongs to, or null.</summary>
    public static FeatureInfo? OwnerOf(FlagSide side, string flagName) =>
        All.FirstOrDefault(f => f.Flags.Any(flag => flag.Side == side && flag.Name == flagName));
}
