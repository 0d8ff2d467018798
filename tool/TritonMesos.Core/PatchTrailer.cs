namespace TritonMesos;

/// <summary>One <c>Key: value</c> line of a patch's trailer block, with its 1-based line in the file.</summary>
public sealed record PatchTrailer(string Key, string Value, int Line);
