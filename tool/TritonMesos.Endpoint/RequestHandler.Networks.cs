using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TritonMesos.Endpoint;

internal sealed partial class RequestHandler
{
    /// <summary>The engine network a create runs on.</summary>
    private static string EngineNetworkFor(GoDecoded decoded) => "none";

    /// <summary>GET /networks and /networks/{id}: the endpoint's fabrics in sdc-docker's shape (none configured: an empty list).</summary>
    private async Task NetworksAsync(HttpContext ctx, Exchange ex)
    {
        if (ex.Route.Kind == RouteKind.NetworkInspect)
        {
            await RefuseAsync(ctx, ex, new TritonError(404, "Error", $"network {ex.Route.Id} not found", "network.not-found"));
            return;
        }
        await WriteJsonAsync(ctx, ex, 200, new JsonArray(), forwarded: false);
    }
}
