using System.Net.Sockets;
using System.Text;

namespace TritonMesos.Endpoint.Tests;

/// <summary>One HTTP/1.1 exchange on a fresh socket, bytes exactly as given (no client-side path normalisation).</summary>
public sealed record RawResponse(int Status, string Head, string Body);

/// <summary>Sends raw requests to the endpoint: request targets with escapes, dot segments and duplicate keys reach it unchanged.</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> with a JSON (or raw) body and reads the whole answer.</summary>
    public static async Task<RawResponse> SendAsync(Uri endpoint, string method, string target, byte[]? body = null, string contentType = "application/json")
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var stream = new NetworkStream(socket);
        var head = $"{method} {target} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n" +
                   (body is null ? "" : $"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (body is not null)
            await stream.WriteAsync(body);
        var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await stream.CopyToAsync(received, timeout.Token);
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var responseHead = split < 0 ? text : text[..split];
        var status = responseHead.Split(' ') is { Length: > 1 } parts && int.TryParse(parts[1], out var s) ? s : 0;
        return new RawResponse(status, responseHead, split < 0 ? "" : text[(split + 4)..]);
    }

    /// <summary>The same with a UTF-8 string body.</summary>
    public static Task<RawResponse> SendAsync(Uri endpoint, string method, string target, string body) =>
        SendAsync(endpoint, method, target, Encoding.UTF8.GetBytes(body));
}
