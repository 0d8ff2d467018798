using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace TritonMesos.Endpoint;

/// <summary>
/// Kestrel connection middleware that takes over connections whose first request is attach or exec start.
/// Those streams need TCP half-close: the docker CLI closes its write side as soon as stdin is done (at once when
/// there is no stdin) and keeps reading output. Kestrel treats a client FIN as the end of the connection, so these
/// requests are proxied here at the byte level, always answered <c>101 UPGRADED</c> as sdc-docker does.
/// Every other connection is handed to Kestrel with the bytes read so far replayed.
/// </summary>
internal sealed class HijackGate(RequestHandler handler)
{
    private const int MaxHead = 64 * 1024;
    private static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(30);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        ReadOnlySequence<byte> buffer;
        long headLength;
        using (var headTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(headTimeout.Token);
                    buffer = result.Buffer;
                    headLength = HeadLength(buffer);
                    if (headLength > 0 || result.IsCompleted || buffer.Length > MaxHead)
                        break;
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var head = headLength > 0 ? RawHead.Parse(Encoding.ASCII.GetString(buffer.Slice(0, headLength))) : null;
        if (head is not null && Route.Classify(RequestTarget.Parse(head.Method, head.Target)).IsHijack)
        {
            var leftover = buffer.Slice(headLength).ToArray();
            input.AdvanceTo(buffer.End);
            await HijackAsync(connection, head, leftover);
            return;
        }

        // Not ours: replay what was read in front of the rest of the connection and let Kestrel serve it.
        var replay = new Pipe();
        if (headLength > 0)
        {
            replay.Writer.Write(NormalizedHead(Encoding.ASCII.GetString(buffer.Slice(0, headLength))));
            foreach (var segment in buffer.Slice(headLength))
                replay.Writer.Write(segment.Span);
        }
        else
            foreach (var segment in buffer)
                replay.Writer.Write(segment.Span);
        input.AdvanceTo(buffer.End);
        var transport = connection.Transport;
        // Not awaited before Kestrel reads: a head that arrived with more body than the pipe's pause threshold would
        // block this flush until a reader that has not started yet drains it (a hang on large POSTs).
        var pump = FlushThenPumpAsync(transport.Input, replay.Writer);
        connection.Transport = new DuplexPipe(replay.Reader, transport.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            transport.Input.CancelPendingRead();
            await pump;
            connection.Transport = transport;
        }
    }

    private static async Task FlushThenPumpAsync(PipeReader from, PipeWriter to)
    {
        try
        {
            var flushed = await to.FlushAsync();
            if (flushed.IsCompleted)
                return;
        }
        catch (Exception e)
        {
            await to.CompleteAsync(e);
            return;
        }
        await PumpAsync(from, to);
    }

    private static async Task PumpAsync(PipeReader from, PipeWriter to)
    {
        try
        {
            while (true)
            {
                var result = await from.ReadAsync();
                if (result.IsCanceled)
                    break;
                foreach (var segment in result.Buffer)
                    to.Write(segment.Span);
                from.AdvanceTo(result.Buffer.End);
                var flushed = await to.FlushAsync();
                if (result.IsCompleted || flushed.IsCompleted)
                    break;
            }
            await to.CompleteAsync();
        }
        catch (Exception e)
        {
            await to.CompleteAsync(e);
        }
    }

    /// <summary>Proxies attach / exec start: the shared admission first, then a raw upgraded connection to the engine, then bytes both ways.</summary>
    private async Task HijackAsync(ConnectionContext connection, RawHead head, byte[] leftover)
    {
        var ex = new Exchange(head.Method, head.Target);
        var output = connection.Transport.Output;
        var input = connection.Transport.Input;

        var certificate = connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        TritonError? refusal;
        try
        {
            refusal = head.Header("Transfer-Encoding") is not null
                ? new TritonError(400, "BadRequest", "attach and exec start bodies must have a Content-Length", "hijack.chunked")
                : await handler.Admission.AdmitAsync(ex, certificate, head.ContentLength ?? 0, CancellationToken.None);
        }
        catch (Exception e) when (RequestHandler.IsEngineDown(e))
        {
            refusal = handler.EngineDown(e);
        }
        if (refusal is not null)
        {
            await WriteErrorAsync(output, ex, refusal, forwarded: false);
            return;
        }

        var body = new MemoryStream();
        body.Write(leftover);
        using (var bodyTimeout = new CancellationTokenSource(BodyTimeout))
        {
            try
            {
                while (body.Length < (head.ContentLength ?? 0))
                {
                    var read = await input.ReadAsync(bodyTimeout.Token);
                    foreach (var segment in read.Buffer)
                        body.Write(segment.Span);
                    input.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                        break;
                }
            }
            catch (OperationCanceledException)
            {
                await WriteErrorAsync(output, ex, new TritonError(408, "RequestTimeout", $"request body not received within {BodyTimeout.TotalSeconds:0} s", "body.too-slow"), forwarded: false);
                return;
            }
        }
        byte[] forwardBody = [];
        if (ex.Route.Kind == RouteKind.ExecStart)
        {
            var (error, decoded) = RequestHandler.DecodeBody(body.ToArray(), RequestSchemas.ExecStart);
            error ??= decoded!.TypeRefusal("exec.field-type");
            if (error is not null)
            {
                await WriteErrorAsync(output, ex, error, forwarded: false);
                return;
            }
            forwardBody = Encoding.UTF8.GetBytes(decoded!.Body.ToJsonString());
        }

        Socket socket;
        string prefix;
        try
        {
            prefix = ApiVersionRule.ForwardPrefix(ex.Request.VersionPrefix, await handler.Engine.VersionsAsync(CancellationToken.None));
            socket = await handler.Engine.ConnectSocketAsync(CancellationToken.None);
        }
        catch (Exception e) when (RequestHandler.IsEngineDown(e))
        {
            await WriteErrorAsync(output, ex, handler.EngineDown(e), forwarded: false);
            return;
        }

        using (socket)
        await using (var engine = new NetworkStream(socket, ownsSocket: false))
        {
            var request = new StringBuilder()
                .Append($"{ex.Request.Method} {prefix}{ex.EngineRoute}{ex.Request.ForwardQuery(ex.Route.AllowedQuery)} HTTP/1.1\r\n")
                .Append("Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append($"Content-Length: {forwardBody.Length}\r\n\r\n");
            await engine.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
            await engine.WriteAsync(forwardBody);

            var (engineHead, extra) = await ReadEngineHeadAsync(engine);
            if (engineHead is null)
            {
                await WriteErrorAsync(output, ex, TritonError.Plain(502, "docker engine closed the connection before answering", "engine.closed"), forwarded: true);
                return;
            }
            if (engineHead.Status != 101)
            {
                var rest = new MemoryStream();
                rest.Write(extra);
                if (engineHead.ContentLength is { } expected)
                    while (rest.Length < expected)
                    {
                        var chunk = new byte[8192];
                        var n = await engine.ReadAsync(chunk);
                        if (n == 0)
                            break;
                        rest.Write(chunk, 0, n);
                    }
                var text = Encoding.UTF8.GetString(rest.ToArray());
                if (engineHead.Status >= 400)
                {
                    var message = RequestHandler.ErrorMessage(text);
                    var error = engineHead.Status == 409 && message.Contains("is not running", StringComparison.Ordinal)
                        ? new TritonError(409, "DockerContainerNotRunning", $"Container {ex.Route.Id} is not running", "exec.not-running")
                        : TritonError.Plain(engineHead.Status, message, "engine.error");
                    await WriteErrorAsync(output, ex, error, forwarded: true);
                }
                else
                {
                    await WriteRawAsync(output, ex, engineHead.Status, "OK", "application/json", rest.ToArray());
                    handler.Record(ex, engineHead.Status, forwarded: true, null, null);
                }
                return;
            }

            var upgraded = $"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n" +
                           $"Server: {TritonConstants.ServerHeader}\r\nx-request-id: {ex.Id}\r\n\r\n";
            await output.WriteAsync(Encoding.ASCII.GetBytes(upgraded));
            if (extra.Length > 0)
                await output.WriteAsync(extra);
            handler.Record(ex, 101, forwarded: true, "hijack.upgraded", null);

            using var stop = new CancellationTokenSource();
            var upstream = CopyClientToEngineAsync(input, engine, socket, stop.Token);
            var downstream = CopyEngineToClientAsync(engine, output);
            var first = await Task.WhenAny(upstream, downstream);
            if (first == upstream && upstream.Result)
                await downstream; // the client half-closed: keep sending output until the engine is done
            await stop.CancelAsync();
            input.CancelPendingRead();
            await output.CompleteAsync();
        }
    }

    /// <summary>Client → engine; true when the client half-closed cleanly (then the engine's write side is shut down too).</summary>
    private static async Task<bool> CopyClientToEngineAsync(PipeReader input, NetworkStream engine, Socket socket, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(ct);
                if (result.IsCanceled)
                    return false;
                foreach (var segment in result.Buffer)
                    await engine.WriteAsync(segment, ct);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return true;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ConnectionResetException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static async Task CopyEngineToClientAsync(NetworkStream engine, PipeWriter output)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await engine.ReadAsync(buffer)) > 0)
                if ((await output.WriteAsync(buffer.AsMemory(0, read))).IsCompleted)
                    return;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or ConnectionResetException or InvalidOperationException)
        {
        }
    }

    private static async Task<(RawHead?, byte[])> ReadEngineHeadAsync(NetworkStream engine)
    {
        var received = new MemoryStream();
        var chunk = new byte[4096];
        while (received.Length < MaxHead)
        {
            var n = await engine.ReadAsync(chunk);
            if (n == 0)
                return (null, []);
            received.Write(chunk, 0, n);
            var bytes = received.ToArray();
            var end = HeadLength(new ReadOnlySequence<byte>(bytes));
            if (end > 0)
                return (RawHead.ParseResponse(Encoding.ASCII.GetString(bytes, 0, (int)end)), bytes[(int)end..]);
        }
        return (null, []);
    }

    private async Task WriteErrorAsync(PipeWriter output, Exchange ex, TritonError error, bool forwarded)
    {
        await WriteRawAsync(output, ex, error.Status, "Error", "text/plain", Encoding.UTF8.GetBytes(error.Body(ex.Id)));
        handler.Record(ex, error.Status, forwarded, error.Rule, error.Body(ex.Id));
        await output.CompleteAsync();
    }

    private static async Task WriteRawAsync(PipeWriter output, Exchange ex, int status, string reason, string contentType, byte[] body)
    {
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n" +
                   $"Server: {TritonConstants.ServerHeader}\r\nx-request-id: {ex.Id}\r\nx-response-time: {ex.ElapsedMs}\r\n\r\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(head));
        await output.WriteAsync(body);
    }

    /// <summary>
    /// Length of the HTTP head including the blank line, or 0 when it is not complete yet. Bare LF line ends count:
    /// Docker.DotNet on Linux ends header lines with "\n" (HttpHeaders.ToString uses Environment.NewLine).
    /// </summary>
    private static long HeadLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
                return reader.Consumed;
        }
        return 0;
    }

    /// <summary>The head again with CRLF line ends, as Kestrel's parser wants them.</summary>
    private static byte[] NormalizedHead(string head)
    {
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
        return Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}

/// <summary>A parsed HTTP/1.1 request or response head (only what the hijack path needs).</summary>
internal sealed record RawHead(string Method, string Target, int Status, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public long? ContentLength => long.TryParse(Header("Content-Length"), out var n) ? n : null;

    public static RawHead? Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var parts = lines[0].Split(' ');
        if (parts.Length < 3)
            return null;
        return new RawHead(parts[0], parts[1], 0, ReadHeaders(lines));
    }

    public static RawHead? ParseResponse(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var parts = lines[0].Split(' ', 3);
        return parts.Length >= 2 && int.TryParse(parts[1], out var status) ? new RawHead("", "", status, ReadHeaders(lines)) : null;
    }

    private static Dictionary<string, string> ReadHeaders(string[] lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return headers;
    }
}
