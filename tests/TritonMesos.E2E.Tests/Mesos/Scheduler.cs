using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>An offer as the scheduler received it, with the region of the agent's fault domain (null when it has none).</summary>
public sealed record Offer(string Id, string AgentId, ResourceSummary Resources, int Subscription, DateTime ReceivedAt, string? Region = null)
{
    public override string ToString() => $"offer {Id} from {AgentId}{(Region is null ? "" : " in " + Region)}: {Resources}";
}

/// <summary>One status update of one task.</summary>
public sealed record TaskUpdate(string TaskId, string State, string? Message, string? Reason, string? Source, string? AgentId, DateTime At)
{
    public override string ToString() => $"{TaskId} {State}" + (Reason is null ? "" : $" ({Reason})") + (string.IsNullOrEmpty(Message) ? "" : $": {Message}");
}

/// <summary>
/// A small framework on the Mesos v1 scheduler HTTP API (JSON + RecordIO): subscribes, hands offers to the test,
/// launches Docker tasks, kills them, acknowledges updates, and re-subscribes with its framework id when the master fails over.
/// With several masters it finds the leader as real frameworks do: GET /redirect on each known master (307 to the leader),
/// SUBSCRIBE there, and a 307 answer to SUBSCRIBE is followed; after a failover it looks for the leader again.
/// </summary>
public sealed class Scheduler : IAsyncDisposable
{
    /// <summary>Terminal task states.</summary>
    public static readonly IReadOnlySet<string> Terminal = new HashSet<string>
    {
        "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR",
    };

    private readonly IReadOnlyList<Uri> _masters;
    private readonly IReadOnlyList<string> _capabilities;
    private readonly HttpClient _discovery = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private Uri _api;
    private readonly string _name;
    private readonly Action<string> _log;
    private readonly HttpClient _calls = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _stream = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _rescinded = new();
    private readonly ConcurrentQueue<TaskUpdate> _updates = new();
    private readonly ConcurrentQueue<Offer> _offerHistory = new();
    private Channel<Offer> _offers = Channel.CreateUnbounded<Offer>();
    private readonly SemaphoreSlim _changed = new(0);
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _streamId;
    private Task? _loop;

    /// <summary>The framework id the master gave on the first subscription.</summary>
    public string? FrameworkId { get; private set; }

    /// <summary>How many times the scheduler has (re-)subscribed.</summary>
    public int Subscriptions { get; private set; }

    /// <summary>Every offer received, in order.</summary>
    public IReadOnlyList<Offer> OfferHistory => [.. _offerHistory];

    /// <summary>Every status update received, in order.</summary>
    public IReadOnlyList<TaskUpdate> AllUpdates => [.. _updates];

    private Scheduler(IReadOnlyList<Uri> masters, string name, Action<string> log, IReadOnlyList<string> capabilities)
    {
        _masters = masters;
        _api = new Uri(masters[0], "/api/v1/scheduler");
        _name = name;
        _log = log;
        _capabilities = capabilities;
    }

    /// <summary>The master the scheduler is subscribed to (or last tried), http://127.0.0.1:PORT.</summary>
    public Uri Master => new(_api, "/");

    /// <summary>Subscribes to the master at <paramref name="master"/> (http://127.0.0.1:PORT) and waits for SUBSCRIBED.</summary>
    public static Task<Scheduler> SubscribeAsync(Uri master, string name, Action<string> log, TimeSpan timeout) =>
        SubscribeAsync([master], name, log, timeout, []);

    /// <summary>
    /// Subscribes to the leader among <paramref name="masters"/> with the framework <paramref name="capabilities"/>
    /// (e.g. REGION_AWARE) and waits for SUBSCRIBED.
    /// </summary>
    public static async Task<Scheduler> SubscribeAsync(IReadOnlyList<Uri> masters, string name, Action<string> log, TimeSpan timeout,
        IReadOnlyList<string> capabilities)
    {
        var scheduler = new Scheduler(masters, name, log, capabilities);
        scheduler._loop = Task.Run(scheduler.RunAsync);
        await scheduler.WaitSubscribedAsync(timeout);
        return scheduler;
    }

    /// <summary>Waits until the scheduler is subscribed (again) to a master.</summary>
    public async Task WaitSubscribedAsync(TimeSpan timeout)
    {
        try
        {
            await _subscribed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"framework {_name} did not get SUBSCRIBED from {_api} within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Waits (bounded) until the scheduler has subscribed at least <paramref name="count"/> times (re-subscription after a failover).</summary>
    public async Task WaitForSubscriptionAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Subscriptions < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"framework {_name} did not re-subscribe (subscription {count}) within {timeout.TotalSeconds:0} s");
            await Task.Delay(500);
        }
    }

    /// <summary>The next offer matching <paramref name="match"/>; others are declined for <paramref name="refuseSeconds"/>.</summary>
    public async Task<Offer> OfferAsync(Func<Offer, bool> match, TimeSpan timeout, string what, double refuseSeconds = 1)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<Offer>();
        try
        {
            while (true)
            {
                var offer = await _offers.Reader.ReadAsync(cts.Token);
                if (_rescinded.ContainsKey(offer.Id) || offer.Subscription != Subscriptions)
                    continue;
                if (match(offer))
                    return offer;
                seen.Add(offer);
                await DeclineAsync(offer, refuseSeconds);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no offer {what} within {timeout.TotalSeconds:0} s; declined meanwhile: "
                + (seen.Count == 0 ? "none" : string.Join("; ", seen.TakeLast(5))));
        }
    }

    /// <summary>Every offer received within <paramref name="window"/>, each declined at once for <paramref name="refuseSeconds"/>.</summary>
    public async Task<IReadOnlyList<Offer>> DeclineOffersForAsync(TimeSpan window, double refuseSeconds = 1)
    {
        var seen = new List<Offer>();
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                var offer = await _offers.Reader.ReadAsync(cts.Token);
                if (_rescinded.ContainsKey(offer.Id) || offer.Subscription != Subscriptions)
                    continue;
                seen.Add(offer);
                await DeclineAsync(offer, refuseSeconds);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return seen;
        }
    }

    /// <summary>Accepts <paramref name="offer"/> with one LAUNCH of <paramref name="tasks"/>; what is left goes back (refused for 1 s).</summary>
    public Task LaunchAsync(Offer offer, params TaskSpec[] tasks) =>
        CallAsync(new JsonObject
        {
            ["type"] = "ACCEPT",
            ["accept"] = new JsonObject
            {
                ["offer_ids"] = new JsonArray(new JsonObject { ["value"] = offer.Id }),
                ["operations"] = new JsonArray(new JsonObject
                {
                    ["type"] = "LAUNCH",
                    ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(tasks.Select(t => (JsonNode)t.ToTaskInfo(offer.AgentId)).ToArray()) },
                }),
                ["filters"] = new JsonObject { ["refuse_seconds"] = 1.0 },
            },
        });

    /// <summary>Declines an offer.</summary>
    public Task DeclineAsync(Offer offer, double refuseSeconds = 1) =>
        CallAsync(new JsonObject
        {
            ["type"] = "DECLINE",
            ["decline"] = new JsonObject
            {
                ["offer_ids"] = new JsonArray(new JsonObject { ["value"] = offer.Id }),
                ["filters"] = new JsonObject { ["refuse_seconds"] = refuseSeconds },
            },
        });

    /// <summary>Asks the master to kill a task.</summary>
    public Task KillAsync(string taskId, string agentId) =>
        CallAsync(new JsonObject
        {
            ["type"] = "KILL",
            ["kill"] = new JsonObject { ["task_id"] = new JsonObject { ["value"] = taskId }, ["agent_id"] = new JsonObject { ["value"] = agentId } },
        });

    /// <summary>Asks for the latest state of every task this framework knows (implicit reconciliation).</summary>
    public Task ReconcileAsync() => CallAsync(new JsonObject { ["type"] = "RECONCILE", ["reconcile"] = new JsonObject { ["tasks"] = new JsonArray() } });

    /// <summary>The updates of one task so far.</summary>
    public IReadOnlyList<TaskUpdate> Updates(string taskId) => _updates.Where(u => u.TaskId == taskId).ToList();

    /// <summary>The latest state of a task, or null before its first update.</summary>
    public string? LatestState(string taskId) => Updates(taskId).LastOrDefault()?.State;

    /// <summary>Waits (bounded) until a task reports one of <paramref name="states"/>; fails early if it turns terminal otherwise.</summary>
    public async Task<TaskUpdate> WaitForStateAsync(string taskId, TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var updates = Updates(taskId);
            var hit = updates.FirstOrDefault(u => states.Contains(u.State));
            if (hit is not null)
                return hit;
            var terminal = updates.FirstOrDefault(u => Terminal.Contains(u.State));
            if (terminal is not null)
                throw new InvalidOperationException($"task {taskId} ended {terminal} while waiting for {string.Join("/", states)}; updates: {string.Join(" → ", updates)}");
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"task {taskId} did not reach {string.Join("/", states)} within {timeout.TotalSeconds:0} s; updates: "
                    + (updates.Count == 0 ? "none" : string.Join(" → ", updates)));
            await _changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits (bounded) until a task reports any terminal state.</summary>
    public Task<TaskUpdate> WaitForTerminalAsync(string taskId, TimeSpan timeout) => WaitForStateAsync(taskId, timeout, [.. Terminal]);

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SubscribeOnceAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log($"scheduler: subscription to {_api} ended: {e.GetType().Name}: {e.Message}");
            }
            if (_subscribed.Task.IsCompleted)
                _subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SubscribeOnceAsync(CancellationToken ct)
    {
        var info = new JsonObject
        {
            ["user"] = "root",
            ["name"] = _name,
            ["hostname"] = "127.0.0.1",
            ["checkpoint"] = true,
            ["failover_timeout"] = 3600.0,
        };
        var call = new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = info } };
        if (_capabilities.Count > 0)
            info["capabilities"] = new JsonArray(_capabilities.Select(c => (JsonNode)new JsonObject { ["type"] = c }).ToArray());
        if (FrameworkId is not null)
        {
            info["id"] = new JsonObject { ["value"] = FrameworkId };
            call["framework_id"] = new JsonObject { ["value"] = FrameworkId };
        }

        if (_masters.Count > 1)
            _api = new Uri(await LeaderAsync(ct), "/api/v1/scheduler");
        var response = await SendSubscribeAsync(call, ct);
        if (MesosHttp.RedirectTarget(response) is { } moved)
        {
            // Not the leader (any more): the master names the leader; subscribe there.
            response.Dispose();
            _api = new Uri(moved, "/api/v1/scheduler");
            _log($"scheduler: SUBSCRIBE redirected to {_api}");
            response = await SendSubscribeAsync(call, ct);
        }
        using var _ = response;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"SUBSCRIBE answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        _streamId = response.Headers.TryGetValues("Mesos-Stream-Id", out var ids) ? ids.First() : null;

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var reader = new RecordIoReader(body);
        while (await reader.NextAsync(ct) is { } record)
        {
            using var doc = JsonDocument.Parse(record);
            Handle(doc.RootElement);
        }
        throw new IOException("the master closed the event stream");
    }

    private async Task<HttpResponseMessage> SendSubscribeAsync(JsonObject call, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _api) { Content = Json(call) };
        request.Headers.Accept.ParseAdd("application/json");
        return await _stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>The leading master: the first known master whose GET /redirect answers 307 names it.</summary>
    private async Task<Uri> LeaderAsync(CancellationToken ct)
    {
        var answers = new List<string>();
        foreach (var master in _masters)
        {
            try
            {
                using var response = await _discovery.GetAsync(new Uri(master, "/redirect"), ct);
                if (MesosHttp.RedirectTarget(response) is { } leader)
                    return leader;
                answers.Add($"{master.Authority}: {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                answers.Add($"{master.Authority}: {e.GetType().Name}");
            }
        }
        throw new InvalidOperationException("no leading master: " + string.Join(", ", answers));
    }

    private void Handle(JsonElement ev)
    {
        var type = ev.GetProperty("type").GetString();
        switch (type)
        {
            case "SUBSCRIBED":
                FrameworkId = ev.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString();
                // Offers of an earlier subscription are void after a failover: start a fresh queue.
                _offers.Writer.TryComplete();
                _offers = Channel.CreateUnbounded<Offer>();
                Subscriptions++;
                _log($"scheduler: SUBSCRIBED as {FrameworkId} (subscription {Subscriptions}, master {_api.Authority})");
                _subscribed.TrySetResult();
                break;
            case "OFFERS":
                foreach (var o in ev.GetProperty("offers").GetProperty("offers").EnumerateArray())
                {
                    var offer = new Offer(
                        o.GetProperty("id").GetProperty("value").GetString()!,
                        o.GetProperty("agent_id").GetProperty("value").GetString()!,
                        ResourceSummary.FromResourceArray(o.GetProperty("resources")),
                        Subscriptions,
                        DateTime.UtcNow,
                        o.TryGetProperty("domain", out var domain) && domain.TryGetProperty("fault_domain", out var fault)
                            ? fault.GetProperty("region").GetProperty("name").GetString()
                            : null);
                    _offerHistory.Enqueue(offer);
                    _offers.Writer.TryWrite(offer);
                }
                break;
            case "RESCIND":
                _rescinded.TryAdd(ev.GetProperty("rescind").GetProperty("offer_id").GetProperty("value").GetString()!, 0);
                break;
            case "UPDATE":
                OnUpdate(ev.GetProperty("update").GetProperty("status"));
                break;
            case "ERROR":
                _log("scheduler: ERROR event: " + ev.GetProperty("error").GetProperty("message").GetString());
                break;
            case "FAILURE":
                _log("scheduler: FAILURE event: " + ev.GetProperty("failure").GetRawText());
                break;
        }
    }

    private void OnUpdate(JsonElement status)
    {
        string? Str(string name) => status.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var taskId = status.GetProperty("task_id").GetProperty("value").GetString()!;
        var agentId = status.TryGetProperty("agent_id", out var a) ? a.GetProperty("value").GetString() : null;
        var update = new TaskUpdate(taskId, Str("state")!, Str("message"), Str("reason"), Str("source"), agentId, DateTime.UtcNow);
        _updates.Enqueue(update);
        _log("scheduler: " + update);
        _changed.Release();
        if (status.TryGetProperty("uuid", out var uuid) && agentId is not null)
            _ = CallAsync(new JsonObject
            {
                ["type"] = "ACKNOWLEDGE",
                ["acknowledge"] = new JsonObject
                {
                    ["agent_id"] = new JsonObject { ["value"] = agentId },
                    ["task_id"] = new JsonObject { ["value"] = taskId },
                    ["uuid"] = uuid.GetString(),
                },
            }).ContinueWith(t => _log("scheduler: acknowledge failed: " + t.Exception!.GetBaseException().Message), TaskContinuationOptions.OnlyOnFaulted);
    }

    private async Task CallAsync(JsonObject call)
    {
        call["framework_id"] = new JsonObject { ["value"] = FrameworkId ?? throw new InvalidOperationException("not subscribed") };
        using var request = new HttpRequestMessage(HttpMethod.Post, _api) { Content = Json(call) };
        if (_streamId is not null)
            request.Headers.Add("Mesos-Stream-Id", _streamId);
        using var response = await _calls.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{call["type"]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // The master compares Content-Type with "application/json" exactly: no charset parameter.
    private static ByteArrayContent Json(JsonNode node)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(node.ToJsonString()));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        if (FrameworkId is not null)
        {
            try
            {
                await CallAsync(new JsonObject { ["type"] = "TEARDOWN" });
            }
            catch (Exception)
            {
                // The master may already be gone; its containers are removed by label anyway.
            }
        }
        await _stop.CancelAsync();
        if (_loop is not null)
            await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(10)));
        _calls.Dispose();
        _stream.Dispose();
        _discovery.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Reads RecordIO ("&lt;length&gt;\n&lt;bytes&gt;") records from the master's event stream.</summary>
internal sealed class RecordIoReader(Stream stream)
{
    private readonly byte[] _one = new byte[1];

    public async Task<byte[]?> NextAsync(CancellationToken ct)
    {
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (await stream.ReadAsync(_one, ct) == 0)
                return null;
            if (_one[0] == (byte)'\n')
                break;
            if (_one[0] is < (byte)'0' or > (byte)'9')
                throw new InvalidDataException($"RecordIO: unexpected byte 0x{_one[0]:x2} in a length prefix");
            length = length * 10 + (_one[0] - '0');
            digits++;
        }
        if (digits == 0)
            throw new InvalidDataException("RecordIO: empty length prefix");
        var record = new byte[length];
        await stream.ReadExactlyAsync(record, ct);
        return record;
    }
}
