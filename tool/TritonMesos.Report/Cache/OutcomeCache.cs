using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using TritonMesos.Report.Diffs;

namespace TritonMesos.Report.Cache;

/// <summary>A file of the patch's outcome: its path, the id of its new text ("-" when deleted) and the edits that make it from the text the patch read.</summary>
internal sealed record StoredChange(string Path, string AfterId, IReadOnlyList<Replacement> Edits, bool? EndsWithNewline);

/// <summary>A cached patch application: the outcome and, per file, how to rebuild the resulting text from the inputs.</summary>
internal sealed record StoredApplication(ApplyResult Result, IReadOnlyList<StoredChange> Changes);

// Outcomes of earlier runs, on disk, content-addressed: a patch application by (diff hash, input ids), and small
// derived values (a ref's flag names by the blob ids of its flags files, a regenerated patch by its inputs). Every key
// is a function of content, so an entry never goes stale; the file carries a format version and the tool's build
// identity, and a checksum: any other file is ignored with one warning and rewritten.
/// <summary>Outcomes of earlier runs on disk, content-addressed: patch applications and small derived values.</summary>
internal sealed class OutcomeCache
{
    /// <summary>The file name inside the cache directory.</summary>
    public const string FileName = "outcomes.bin";

    /// <summary>Bumped whenever the layout or the meaning of an entry changes.</summary>
    public const int FormatVersion = 2;

    /// <summary>Above this size, a save keeps only the entries this run used.</summary>
    private const int MaxBytes = 32 * 1024 * 1024;

    private static readonly byte[] Magic = "TMOC"u8.ToArray();

    private const string OtherBuild = "another build of the tool";

    private readonly ConcurrentDictionary<string, StoredApplication> _applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _used = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>The cache file, or null for a cache that lives only in memory.</summary>
    public string? Path { get; }

    /// <summary>Entries read from the file.</summary>
    public int Loaded { get; private set; }

    private OutcomeCache(string? path) => Path = path;

    /// <summary>The identity of this build of the report code (version, and the module ids of the code that computes outcomes).</summary>
    public static string ToolVersion { get; } = string.Join(' ', new[] { typeof(OutcomeCache).Assembly, typeof(PatchFile).Assembly }.Select(a =>
        $"{a.GetName().Name}/{a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}/{a.ManifestModule.ModuleVersionId:N}"));

    /// <summary>An empty cache that is never written.</summary>
    public static OutcomeCache InMemory() => new(null);

    /// <summary>Reads the cache file of <paramref name="directory"/>; a missing file is an empty cache, an unreadable one is reported through <paramref name="warn"/> and ignored.</summary>
    public static OutcomeCache Load(string directory, Action<string>? warn)
    {
        var cache = new OutcomeCache(System.IO.Path.Combine(directory, FileName));
        byte[] bytes;
        try
        {
            if (!File.Exists(cache.Path))
                return cache;
            bytes = File.ReadAllBytes(cache.Path!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn?.Invoke($"report: warning: outcome cache {cache.Path} not read ({e.Message}); recomputing");
            return cache;
        }
        if (cache.Read(bytes) is { } problem)
        {
            cache._applications.Clear();
            cache._values.Clear();
            cache.Loaded = 0;
            // A rebuilt tool is expected to start afresh; anything else is worth a warning.
            warn?.Invoke(problem == OtherBuild
                ? $"report: outcome cache {cache.Path} was written by {OtherBuild}; recomputing"
                : $"report: warning: outcome cache {cache.Path} ignored ({problem}); recomputing");
        }
        return cache;
    }

    /// <summary>The cached application for <paramref name="key"/>, if any.</summary>
    public StoredApplication? FindApplication(string key) => Find(_applications, "a", key);

    /// <summary>Remembers an application computed in this run.</summary>
    public void AddApplication(string key, StoredApplication application) => Add(_applications, "a", key, application);

    /// <summary>A cached derived value (flag names, a regenerated patch), if any.</summary>
    public string? FindValue(string key) => Find(_values, "v", key);

    /// <summary>Remembers a derived value computed in this run.</summary>
    public void AddValue(string key, string value) => Add(_values, "v", key, value);

    // Every entry found or added is marked used (under its kind's prefix), so that a save of an oversized file keeps it.
    private T? Find<T>(ConcurrentDictionary<string, T> entries, string kind, string key) where T : class
    {
        if (!entries.TryGetValue(key, out var found))
            return null;
        _used.TryAdd(kind + key, 0);
        return found;
    }

    private void Add<T>(ConcurrentDictionary<string, T> entries, string kind, string key, T value)
    {
        entries[key] = value;
        _used.TryAdd(kind + key, 0);
        Interlocked.Increment(ref _added);
    }

    /// <summary>Writes the file when this run added entries (atomically: a temporary file renamed over it); a failure is only reported.</summary>
    public void Save(Action<string>? warn)
    {
        if (Path is null || Volatile.Read(ref _added) == 0)
            return;
        try
        {
            var bytes = Write(all: true);
            if (bytes.Length > MaxBytes)
                bytes = Write(all: false);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = $"{Path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn?.Invoke($"report: warning: outcome cache {Path} not written ({e.Message})");
        }
    }

    /// <summary>The key of a value derived from content, e.g. <c>Key("flags", id1, id2)</c>.</summary>
    public static string Key(params IEnumerable<string> parts) => string.Join('\n', parts);

    /// <summary>A short hash naming a text (a patch's diff or whole file) inside keys.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private byte[] Write(bool all)
    {
        // Entries repeat many strings (a hunk's lines in every ref where it conflicts): each distinct string is stored once.
        var strings = new StringTable();
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            var applications = _applications.Where(a => all || _used.ContainsKey("a" + a.Key)).ToList();
            w.Write(applications.Count);
            foreach (var (key, application) in applications)
            {
                strings.Write(w, key);
                WriteApplication(w, strings, application);
            }
            var values = _values.Where(v => all || _used.ContainsKey("v" + v.Key)).ToList();
            w.Write(values.Count);
            foreach (var (key, value) in values)
            {
                strings.Write(w, key);
                strings.Write(w, value);
            }
        }
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ToolVersion);
            writer.Write(strings.All.Count);
            foreach (var text in strings.All)
                writer.Write(text);
            writer.Write(body.GetBuffer(), 0, (int)body.Length);
        }
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        return stream.ToArray();
    }

    /// <summary>Strings by number, in the order first written.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        public List<string> All { get; } = [];

        public void Write(BinaryWriter w, string text)
        {
            if (!_ids.TryGetValue(text, out var id))
            {
                id = All.Count;
                _ids[text] = id;
                All.Add(text);
            }
            w.Write7BitEncodedInt(id);
        }
    }

    /// <summary>Fills the cache from <paramref name="bytes"/>; returns why the file is unusable, or null.</summary>
    private string? Read(byte[] bytes)
    {
        const int checksumLength = 32;
        if (bytes.Length < Magic.Length + 4 + checksumLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            return "not an outcome cache file";
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - checksumLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - checksumLength)))
            return "checksum mismatch: the file is damaged";
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length - checksumLength), Encoding.UTF8);
            var format = reader.ReadInt32();
            if (format != FormatVersion)
                return $"format {format}, this tool reads format {FormatVersion}";
            var tool = reader.ReadString();
            if (tool != ToolVersion)
                return OtherBuild;
            var table = new string[Count(reader)];
            for (var i = 0; i < table.Length; i++)
                table[i] = reader.ReadString();
            string S() => reader.Read7BitEncodedInt() is var id && (uint)id < (uint)table.Length ? table[id] : throw ReportErrors.MalformedCache($"bad string number {id}");
            for (var n = reader.ReadInt32(); n > 0; n--)
            {
                var key = S();
                _applications[key] = ReadApplication(reader, S);
            }
            for (var n = reader.ReadInt32(); n > 0; n--)
            {
                var key = S();
                _values[key] = S();
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                return "trailing bytes";
            Loaded = _applications.Count + _values.Count;
            return null;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
        {
            return "malformed: " + e.Message;
        }
    }

    private static void WriteApplication(BinaryWriter w, StringTable strings, StoredApplication application)
    {
        void Strings(IReadOnlyList<string> list)
        {
            w.Write(list.Count);
            foreach (var text in list)
                strings.Write(w, text);
        }
        var r = application.Result;
        w.Write((int)r.Status);
        w.Write(r.MaxOffset);
        w.Write(r.MaxFuzz);
        Strings(r.MissingFiles);
        w.Write(r.Conflicts.Count);
        foreach (var c in r.Conflicts)
        {
            strings.Write(w, c.File);
            w.Write(c.Hunk);
            strings.Write(w, c.Header);
            strings.Write(w, c.Reason);
            Strings(c.Expected);
            w.Write(c.UpstreamLine ?? -1);
            Strings(c.Upstream);
        }
        w.Write(application.Changes.Count);
        foreach (var change in application.Changes)
        {
            strings.Write(w, change.Path);
            strings.Write(w, change.AfterId);
            w.Write(change.EndsWithNewline switch { null => (byte)2, true => (byte)1, false => (byte)0 });
            w.Write(change.Edits.Count);
            foreach (var edit in change.Edits)
            {
                w.Write(edit.Start);
                w.Write(edit.OldCount);
                w.Write(edit.HunkIndex);
                Strings(edit.NewLines);
            }
        }
    }

    private static StoredApplication ReadApplication(BinaryReader r, Func<string> s)
    {
        string[] Strings()
        {
            var list = new string[Count(r)];
            for (var i = 0; i < list.Length; i++)
                list[i] = s();
            return list;
        }
        var status = r.ReadInt32();
        if (!Enum.IsDefined(typeof(ApplyStatus), status))
            throw ReportErrors.MalformedCache($"unknown status {status}");
        var maxOffset = r.ReadInt32();
        var maxFuzz = r.ReadInt32();
        var missing = Strings();
        var conflicts = new HunkConflict[Count(r)];
        for (var i = 0; i < conflicts.Length; i++)
        {
            var file = s();
            var hunk = r.ReadInt32();
            var header = s();
            var reason = s();
            var expected = Strings();
            var line = r.ReadInt32();
            conflicts[i] = new HunkConflict(file, hunk, header, reason, expected, line < 0 ? null : line, Strings());
        }
        var changes = new StoredChange[Count(r)];
        for (var i = 0; i < changes.Length; i++)
        {
            var path = s();
            var afterId = s();
            var eol = r.ReadByte() switch { 0 => false, 1 => true, 2 => (bool?)null, var b => throw ReportErrors.MalformedCache($"bad end-of-line flag {b}") };
            var edits = new Replacement[Count(r)];
            for (var e = 0; e < edits.Length; e++)
            {
                int start = r.ReadInt32(), oldCount = r.ReadInt32(), hunkIndex = r.ReadInt32();
                edits[e] = new Replacement(start, oldCount, Strings(), hunkIndex);
            }
            changes[i] = new StoredChange(path, afterId, edits, eol);
        }
        return new StoredApplication(new ApplyResult((ApplyStatus)status, maxOffset, maxFuzz, missing, conflicts, null), changes);
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        return n is >= 0 and <= 10_000_000 ? n : throw ReportErrors.MalformedCache($"bad count {n}");
    }
}
