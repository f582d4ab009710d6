using System.Text.Json.Nodes;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary>Forwards one browser call to the daemon when <see cref="ConsoleRoutes"/> allows it; streams the answer back.</summary>
internal static class ConsoleProxy
{
    public static async Task ForwardAsync(HttpContext context, string path, ApiClient api)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var route = ConsoleRoutes.Map(request.Method, path, name => request.Query.TryGetValue(name, out var v) ? v.ToString() : null);
        if (route is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "the console does not forward this call");
            return;
        }

        if (route.Method == HttpMethod.Post && request.Headers[ConsoleServer.ActionHeader] != "1")
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden, $"an action needs the {ConsoleServer.ActionHeader} header");
            return;
        }

        HttpResponseMessage answer;
        try
        {
            answer = await api.SendAsync(route.Method, route.DaemonPath, null, cancellationToken, stream: true);
        }
        catch (DaemonUnreachableException ex)
        {
            await ErrorAsync(context, StatusCodes.Status502BadGateway, ex.Message);
            return;
        }

        using (answer)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            if (answer.Headers.TryGetValues(Api.WorkflowLogsEndpoint.TailCutHeader, out var cut))
            {
                // The one header of the daemon's the pages read: whether a job's log shown as a tail has more before it.
                context.Response.Headers[Api.WorkflowLogsEndpoint.TailCutHeader] = cut.ToArray();
            }

            await using var body = await answer.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (route.Stream)
                    {
                        await context.Response.Body.FlushAsync(cancellationToken);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested)
            {
                // The page went away (a closed log view).
            }
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString(), context.RequestAborted);
    }
}
