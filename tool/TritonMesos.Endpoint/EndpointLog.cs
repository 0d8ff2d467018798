using System.Collections.Concurrent;

namespace TritonMesos.Endpoint;

/// <summary>One answered request: refused ones carry the rule that fired and never reached the engine.</summary>
public sealed record EndpointLogEntry(
    DateTimeOffset Time, string RequestId, string Method, string Path, int Status, bool Forwarded, string? Rule, string? Detail)
{
    /// <summary>The log line, e.g. <c>… POST /v1.41/containers/create 422 refused rule=create.binds (Validation) Invalid binds: …</c>.</summary>
    public override string ToString() =>
        $"{Time:yyyy-MM-ddTHH:mm:ss.fffZ} {RequestId} {Escape(Method)} {Escape(Path)} {Status} {(Forwarded ? "forwarded" : Status >= 400 ? "refused" : "answered")}" +
        (Rule is null ? "" : " rule=" + Escape(Rule)) + (Detail is null ? "" : " " + Escape(Detail));

    /// <summary>Control characters (CR, LF, ESC …) as <c>\xNN</c>: a request cannot forge or split log lines.</summary>
    internal static string Escape(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())) : text;
}

/// <summary>The endpoint's request log: kept in memory (last 10 000) and written to the configured writer.</summary>
public sealed class EndpointLog
{
    private readonly ConcurrentQueue<EndpointLogEntry> _entries = new();
    private readonly TextWriter? _writer;
    private readonly Lock _writeLock = new();

    internal EndpointLog(TextWriter? writer) => _writer = writer;

    /// <summary>All entries still held, oldest first.</summary>
    public IReadOnlyList<EndpointLogEntry> Entries => _entries.ToArray();

    /// <summary>The entry for a request id (the id that ends every Triton error body), if any.</summary>
    public EndpointLogEntry? Find(string requestId) => _entries.LastOrDefault(e => e.RequestId == requestId);

    internal void Add(EndpointLogEntry entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > 10_000 && _entries.TryDequeue(out _)) { }
        if (_writer is null)
            return;
        lock (_writeLock)
        {
            _writer.WriteLine(entry.ToString());
            _writer.Flush();
        }
    }
}
