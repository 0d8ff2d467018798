using System.Net;
using System.Text.Json;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>Read-only HTTP endpoints of a Mesos master or agent on 127.0.0.1 (/master/state, /health, /monitor/statistics…).</summary>
public sealed class MesosHttp(int port) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>GETs a path and parses the JSON body; throws with the status and body otherwise.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"GET {path} on {BaseAddress} answered {(int)response.StatusCode}: {Truncate(body)}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>GETs a path and returns the status code and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>True when GET /health answers 200.</summary>
    public async Task<bool> HealthyAsync()
    {
        try
        {
            return (await GetAsync("/health")).Status == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The target of a 307 from a master (whose Location is scheme-relative, //host:port/path), as an http:// URI; null
    /// for any other answer. Read raw: on Unix, Uri would take "//host:port" for a file path.
    /// </summary>
    public static Uri? RedirectTarget(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.TemporaryRedirect
            || !response.Headers.NonValidated.TryGetValues("Location", out var values) || values.FirstOrDefault() is not { Length: > 0 } location)
            return null;
        return Uri.TryCreate(location.StartsWith("//", StringComparison.Ordinal) ? "http:" + location : location, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https" ? uri : null;
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>What the tests read from the master's /master/state.</summary>
public static class MasterState
{
    /// <summary>The agents the master knows, with their libprocess pid (slave(1)@IP:PORT), active flag and resources.</summary>
    public static IEnumerable<(string Id, string Pid, bool Active, JsonElement Agent)> Agents(JsonElement state) =>
        state.GetProperty("slaves").EnumerateArray().Select(s => (
            s.GetProperty("id").GetString()!,
            s.GetProperty("pid").GetString()!,
            s.TryGetProperty("active", out var a) && a.GetBoolean(),
            s));

    /// <summary>Every task (active, completed, unreachable) of every framework, as (framework id, task id, state, task).</summary>
    public static IEnumerable<(string FrameworkId, string TaskId, string State, JsonElement Task)> Tasks(JsonElement state)
    {
        foreach (var key in new[] { "frameworks", "completed_frameworks" })
        {
            if (!state.TryGetProperty(key, out var frameworks))
                continue;
            foreach (var f in frameworks.EnumerateArray())
                foreach (var list in new[] { "tasks", "completed_tasks", "unreachable_tasks" })
                    if (f.TryGetProperty(list, out var tasks))
                        foreach (var t in tasks.EnumerateArray())
                            yield return (f.GetProperty("id").GetString()!, t.GetProperty("id").GetString()!, t.GetProperty("state").GetString()!, t);
        }
    }

    /// <summary>The state of one task in /master/state, or null when the master does not list it.</summary>
    public static string? TaskState(JsonElement state, string taskId) =>
        Tasks(state).Where(t => t.TaskId == taskId).Select(t => t.State).LastOrDefault();
}
