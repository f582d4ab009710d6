using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using Microsoft.AspNetCore.Diagnostics;

namespace GradientNode.Daemon.Api;

/// <summary>Turns exceptions from handlers into the JSON error shape: validation → 400, engine → 502, the rest → 500.</summary>
internal static class ApiErrors
{
    public static Task WriteAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = error switch
        {
            SecretValidationException ex => (StatusCodes.Status400BadRequest, ex.Message),
            EngineException ex => (StatusCodes.Status502BadGateway, $"Docker engine: {ex.Message}"),
            BadHttpRequestException ex => (ex.StatusCode, ex.Message),
            _ => (StatusCodes.Status500InternalServerError, "internal error; see the daemon's log"),
        };
        return JsonResults.Error(status, message).ExecuteAsync(context);
    }
}
