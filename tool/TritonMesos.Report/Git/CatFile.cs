using System.Diagnostics;
using System.Text;

namespace TritonMesos.Report.Git;

/// <summary>What <c>git cat-file</c> says about one object: its id, type and size, and its bytes when asked for.</summary>
internal sealed record GitObject(string Id, string Type, long Size, byte[]? Content);

// One long-running `git cat-file --batch` (or `--batch-check`) on a clone, asked one object name at a time (an id, or
// `<commit>:<path>`). git inflates packed objects with its delta-base cache, many times faster than libgit2 reads the
// same blobs; a single process serves every lookup of a run.
/// <summary>One long-running <c>git cat-file --batch</c> (or <c>--batch-check</c>) on a clone, asked one object name at a time.</summary>
internal sealed class CatFile : IDisposable
{
    private readonly Process _process;
    private readonly Stream _answers;
    private readonly Stream _questions;
    private readonly bool _contents;
    private readonly Lock _gate = new();

    private CatFile(Process process, bool contents)
    {
        _process = process;
        _answers = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        _questions = process.StandardInput.BaseStream;
        _contents = contents;
    }

    /// <summary>Starts <c>git cat-file --batch</c> (<paramref name="contents"/>) or <c>--batch-check</c> in <paramref name="repositoryPath"/>.</summary>
    public static CatFile Start(string repositoryPath, bool contents)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryPath,
        };
        foreach (var arg in new[] { "cat-file", contents ? "--batch" : "--batch-check" })
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in global::TritonMesos.Git.Isolation)
            start.Environment[name] = value;
        // Never fetch a missing object of a partial clone (git >= 2.44 honours this): absent stays absent, as with libgit2.
        start.Environment["GIT_NO_LAZY_FETCH"] = "1";
        try
        {
            var process = Process.Start(start) ?? throw ReportErrors.CatFileNotStarted();
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new CatFile(process, contents);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw ReportErrors.GitMissing(e);
        }
    }

    /// <summary>The object <paramref name="name"/> names, or null when the clone lacks it (or the name resolves to nothing).</summary>
    /// <param name="maxContent">With --batch: contents larger than this are skipped (the answer has no content).</param>
    public GitObject? Find(string name, long maxContent = long.MaxValue) => FindAll([name], maxContent)[0];

    /// <summary>The objects <paramref name="names"/> name, asked all at once (the questions are written while the answers are read); <paramref name="each"/> sees each answer as it arrives.</summary>
    public IReadOnlyList<GitObject?> FindAll(IReadOnlyList<string> names, long maxContent = long.MaxValue, Action<int, GitObject?>? each = null)
    {
        var answers = new GitObject?[names.Count];
        lock (_gate)
        {
            var writer = names.Count == 1 ? null : Task.Run(() => Ask(names));
            if (writer is null)
                Ask(names);
            for (var i = 0; i < names.Count; i++)
            {
                answers[i] = names[i].Contains('\n') ? null : Answer(maxContent);
                each?.Invoke(i, answers[i]);
            }
            writer?.GetAwaiter().GetResult();
        }
        return answers;
    }

    private void Ask(IReadOnlyList<string> names)
    {
        var text = new StringBuilder();
        foreach (var name in names.Where(n => !n.Contains('\n')))
            text.Append(name).Append('\n');
        _questions.Write(Encoding.UTF8.GetBytes(text.ToString()));
        _questions.Flush();
    }

    private GitObject? Answer(long maxContent)
    {
        var header = ReadLine();
        // "<id> <type> <size>", or "<name> missing" / "<name> ambiguous".
        var parts = header.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], out var size))
            return null;
        byte[]? content = null;
        if (_contents)
        {
            if (size <= maxContent)
            {
                content = new byte[size];
                _answers.ReadExactly(content);
            }
            else
                Skip(size);
            Skip(1);
        }
        return new GitObject(parts[0], parts[1], size, content);
    }

    private string ReadLine()
    {
        var line = new List<byte>(64);
        while (true)
        {
            var b = _answers.ReadByte();
            if (b < 0)
                throw ReportErrors.CatFileEnded(_process.StartInfo.WorkingDirectory, _process.HasExited ? _process.ExitCode : -1);
            if (b == '\n')
                return Encoding.UTF8.GetString([.. line]);
            line.Add((byte)b);
        }
    }

    private void Skip(long count)
    {
        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var read = _answers.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read <= 0)
                throw ReportErrors.CatFileTruncated();
            count -= read;
        }
    }

    public void Dispose()
    {
        try
        {
            _questions.Close();
            if (!_process.WaitForExit(2000))
                _process.Kill();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The process is gone already.
        }
        _process.Dispose();
    }
}
