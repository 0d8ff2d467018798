using System.Net;
using System.Net.Sockets;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port nothing listens on right now and that this run has not handed out before.</summary>
    public static int FreeLoopbackPort()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                    return port;
            }
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken ct = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
