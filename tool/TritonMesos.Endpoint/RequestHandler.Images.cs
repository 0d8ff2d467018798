using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TritonMesos.Endpoint;

internal sealed partial class RequestHandler
{
    private static readonly GoType.Struct AuthSchema = new(new Dictionary<string, GoType>
    {
        ["username"] = GoType.Text, ["password"] = GoType.Text, ["auth"] = GoType.Text, ["email"] = GoType.Text,
        ["serveraddress"] = GoType.Text, ["identitytoken"] = GoType.Text, ["registrytoken"] = GoType.Text,
    });

    /// <summary>
    /// docker pull (fromImage) and push: only from and to the configured registries. A pull from any other registry of an
    /// image the engine already holds is answered "up to date" without the engine contacting anything (so a client that
    /// pulls before retrying a create, as the docker CLI does after any 404, gets to the create's real answer offline).
    /// </summary>
    private async Task ImageTransferAsync(HttpContext ctx, Exchange ex)
    {
        var push = ex.Route.Kind == RouteKind.ImagePush;
        var reference = push ? ex.Route.Id! : ex.Request.Query.GetValueOrDefault("fromImage", "");
        if (ImageSources.Check(ImageSources.RegistryOf(reference), options.Registries, push ? "push" : "pull") is { } refused)
        {
            var tag = ex.Request.Query.GetValueOrDefault("tag", "");
            var full = tag.Length == 0 || reference.Contains('@') ? reference : reference + (tag.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":") + tag;
            if (!push && ImageReference().IsMatch(full) && await EngineJsonAsync<JsonObject>(ex, $"/images/{full}/json", ctx.RequestAborted) is not null)
            {
                ex.Notes.Add("image.present-locally");
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(new JsonObject { ["status"] = $"Status: Image is up to date for {full}" }.ToJsonString() + "\r\n", ctx.RequestAborted);
                Record(ex, 200, forwarded: false, Notes(ex), null);
                return;
            }
            await RefuseAsync(ctx, ex, refused);
            return;
        }
        await ForwardAsync(ctx, ex, Query(ex));
    }

    /// <summary>rmi of an image with several tags: sdc-docker's conflict text (500), not the engine's 409.</summary>
    private static TritonError? RmiConflict(Exchange ex, int status, string message) =>
        status == 409 && message.Contains("(must be forced)", StringComparison.Ordinal)
            ? TritonError.Plain(500, $"conflict: unable to delete {ex.Route.Id} (must be forced) - image is referenced in one or more repositories", "rmi.conflict")
            : null;

    /// <summary>POST /build: Triton's query options only, the context checked (<see cref="BuildContext"/>) and sent as read, RUN steps without a network.</summary>
    private async Task BuildAsync(HttpContext ctx, Exchange ex)
    {
        await using var context = await BuildContext.SpoolAsync(new ClientBodyStream(ctx.Request.Body), options.MaxBuildContextBytes, ctx.RequestAborted);
        if (context.TooLarge)
        {
            await RefuseAsync(ctx, ex, new TritonError(413, "RequestEntityTooLarge", $"Request body size exceeds {options.MaxBuildContextBytes}", "body.too-large"));
            return;
        }
        if (context.Check(ex.Request.Query.GetValueOrDefault("dockerfile", "Dockerfile"), options.Registries) is { } refused)
        {
            await RefuseAsync(ctx, ex, refused);
            return;
        }
        var content = new StreamContent(context.Open());
        content.Headers.ContentType = new("application/x-tar");
        content.Headers.ContentLength = context.Length;
        await ForwardAsync(ctx, ex, Query(ex, new Dictionary<string, string> { ["networkmode"] = "none" }), content: content);
    }

    /// <summary>POST /commit: of the account's own container only, with the canonical config overrides.</summary>
    private async Task CommitAsync(HttpContext ctx, Exchange ex)
    {
        var reference = ex.Request.Query.GetValueOrDefault("container", "");
        var owned = reference.Length == 0 ? null : await Book.ResolveAsync(reference, ex.Account, ctx.RequestAborted);
        if (owned is null)
        {
            await RefuseAsync(ctx, ex, TritonError.Plain(404, $"No such container: {reference}", "container.not-found"));
            return;
        }
        var (parseError, decoded) = await ReadBodyAsync(ctx, RequestSchemas.Commit);
        parseError ??= decoded!.TypeRefusal("commit.field-type");
        if (parseError is not null)
        {
            await RefuseAsync(ctx, ex, parseError);
            return;
        }
        var content = new StringContent(decoded!.Body.ToJsonString(), Encoding.UTF8, "application/json");
        await ForwardAsync(ctx, ex, Query(ex, new Dictionary<string, string> { ["container"] = owned.Id }), content: content);
    }

    /// <summary>POST /auth: only against a configured registry, with the canonical AuthConfig.</summary>
    private async Task AuthAsync(HttpContext ctx, Exchange ex)
    {
        var (parseError, decoded) = await ReadBodyAsync(ctx, AuthSchema);
        parseError ??= decoded!.TypeRefusal("auth.field-type");
        parseError ??= ImageSources.Check(ImageSources.RegistryOfServer((string?)decoded!.Body["serveraddress"] ?? ""), options.Registries, "login");
        if (parseError is not null)
        {
            await RefuseAsync(ctx, ex, parseError);
            return;
        }
        var content = new StringContent(decoded!.Body.ToJsonString(), Encoding.UTF8, "application/json");
        await ForwardAsync(ctx, ex, "", content: content);
    }
}
