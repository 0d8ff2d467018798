namespace TritonMesos.Report;

/// <summary>Upstream commits that may carry a patch's change: same <c>git patch-id --stable</c>, or most of its added lines.</summary>
/// <param name="ByContent">Null until searched: that search reads the diff of every commit on the patch's files, so it runs only for a patch that some ref already has.</param>
internal sealed record PatchHistory(string? PatchId, IReadOnlyList<string> SamePatchId, IReadOnlyList<string>? ByContent);
