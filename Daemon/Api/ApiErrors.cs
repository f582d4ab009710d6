using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using Microsoft.AspNetCore.Diagnostics;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Turns exceptions from handlers into the JSON error shape: validation → 400, engine → 502, a spec file that cannot be written → 500 naming
/// it, any other file that cannot be written or read → 500 with the system's reason, the rest → 500 without details; and gives an
/// error that routing answers without a body (an unknown path, a method the path does not take) the same shape.
/// </summary>
internal static class ApiErrors
{
    /// <summary>
    /// The daemon's exception handler: <see cref="WriteAsync"/>, logging with a stack trace only what is neither
    /// <see cref="IsCallersMistake"/> nor <see cref="IsFileProblem"/> (those have a warning of their own, <see cref="ApiFileProblems"/>).
    /// </summary>
    public static ExceptionHandlerOptions HandlerOptions() => new()
    {
        ExceptionHandler = WriteAsync,
        SuppressDiagnosticsCallback = context => IsCallersMistake(context.Exception) || IsFileProblem(context.Exception),
    };

    public static Task WriteAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = error switch
        {
            SecretValidationException ex => (StatusCodes.Status400BadRequest, ex.Message),
            SpecFileWriteException ex => (StatusCodes.Status500InternalServerError, ex.Message),
            EngineException ex => (StatusCodes.Status502BadGateway, $"Docker engine: {ex.Message}"),
            BadHttpRequestException ex => (ex.StatusCode, ex.Message),
            IOException or UnauthorizedAccessException => (StatusCodes.Status500InternalServerError, FileProblem(error)),
            _ => (StatusCodes.Status500InternalServerError, "internal error; see the daemon's log"),
        };
        if (error is not null && IsFileProblem(error))
        {
            context.RequestServices?.GetService<ApiFileProblems>()?.Report(context.Request.Method, context.Request.Path.Value ?? "/", message);
        }

        return JsonResults.Error(status, message).ExecuteAsync(context);
    }

    /// <summary>
    /// A file the daemon could not write or read (a full or read-only state directory): the system's reason and the folder,
    /// so that <c>secrets set</c> on a full disk says "No space left on device" rather than "internal error".
    /// </summary>
    public static string FileProblem(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"the daemon could not write or read a file: {GradientNode.Core.Common.FileProblem.Describe(error)}; is the node's state directory full or read-only? (gradient-node node lists its warnings)";
    }

    /// <summary>
    /// A 400-class answer (a bad name, a bad request): the caller's mistake, answered with its message and not logged as
    /// an unhandled exception with a stack trace, so that a socket-group user cannot fill the daemon's log with them.
    /// </summary>
    public static bool IsCallersMistake(Exception error) => error is SecretValidationException or BadHttpRequestException;

    /// <summary>A file the daemon could not write or read: the disk's problem, not a fault of the daemon's code.</summary>
    public static bool IsFileProblem(Exception error) => error is SpecFileWriteException or IOException or UnauthorizedAccessException;

    /// <summary>For an error status that no handler gave a body: the JSON error, written. Other answers are left alone.</summary>
    public static Task WriteEmptyStatusAsync(HttpContext context) =>
        MessageForEmpty(context.Response.StatusCode, context.Request.Method, context.Request.Path.Value ?? "/") is { } message
            ? JsonResults.Error(context.Response.StatusCode, message).ExecuteAsync(context)
            : Task.CompletedTask;

    /// <summary>The message for a body-less 404 or 405 from routing; null for any other status.</summary>
    public static string? MessageForEmpty(int status, string method, string path)
    {
        var shown = path.Length > 200 ? path[..200] + "…" : path;
        return status switch
        {
            StatusCodes.Status404NotFound => $"no endpoint {method} {shown} on this daemon (see docs/reference/api.md)",
            StatusCodes.Status405MethodNotAllowed => $"{method} is not allowed on {shown}",
            _ => null,
        };
    }
}
