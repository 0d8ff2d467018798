using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TritonMesos.Endpoint;

internal sealed partial class RequestHandler
{
    /// <summary>GET /networks and /networks/{name|id}: the endpoint's fabrics in sdc-docker's shape (napiNetworkToDockerNetwork).</summary>
    private async Task NetworksAsync(HttpContext ctx, Exchange ex)
    {
        foreach (var fabric in Fabrics.All)
            await Fabrics.EnsureAsync(fabric, ctx.RequestAborted);
        if (ex.Route.Kind == RouteKind.NetworkInspect)
        {
            var fabric = Fabrics.All.FirstOrDefault(f => f.Name == ex.Route.Id || Fabrics.Id(f) == ex.Route.Id) ?? Fabrics.Select(ex.Route.Id!);
            if (fabric is null || CreateRules.IsDefaultNetwork(ex.Route.Id!))
                await RefuseAsync(ctx, ex, new TritonError(404, "Error", $"network {ex.Route.Id} not found", "network.not-found"));
            else
                await WriteJsonAsync(ctx, ex, 200, TritonViews.Network(fabric, Fabrics.Id(fabric)), forwarded: false);
            return;
        }
        await WriteJsonAsync(ctx, ex, 200, new JsonArray(Fabrics.All.Select(f => (JsonNode)TritonViews.Network(f, Fabrics.Id(f))).ToArray()), forwarded: false);
    }
}
