using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace GradientNode.Core.Engine;

/// <summary>
/// Maps Docker.DotNet's exceptions to the typed <see cref="EngineException"/> family: 404 to the not-found types,
/// 409 to <see cref="ContainerConflictException"/>, 401/403 on a pull to <see cref="ImagePullDeniedException"/>,
/// a socket that does not answer to <see cref="EngineUnavailableException"/>. Messages carry the engine's own
/// <c>message</c>, never a request header (so never a registry password).
/// </summary>
internal static class DockerErrors
{
    /// <summary>The engine's <c>{"message": …}</c>, else the raw body, else the status.</summary>
    public static string MessageOf(DockerApiException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var body = ex.ResponseBody?.Trim() ?? "";
        if (body.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the raw text.
            }
        }

        return body.Length > 0 ? body : $"HTTP {(int)ex.StatusCode} {ex.StatusCode}";
    }

    /// <summary>
    /// The typed exception for a failed call, or null when <paramref name="ex"/> is not an engine failure
    /// (cancellation, a bug of ours): the caller then lets it propagate unchanged.
    /// </summary>
    public static EngineException? Translate(Exception ex, string operation, string host, string? containerId = null, string? image = null)
    {
        switch (ex)
        {
            case EngineException:
                return null;
            case DockerApiException api:
                var answer = MessageOf(api);
                var text = $"{operation} failed: {answer}";
                return api.StatusCode switch
                {
                    HttpStatusCode.NotFound when containerId is not null && api is not DockerImageNotFoundException => new ContainerNotFoundException(containerId),
                    HttpStatusCode.NotFound when image is not null => new ImageNotFoundException(image, text) { Operation = operation, EngineMessage = answer },
                    HttpStatusCode.Conflict => new ContainerConflictException(text) { Operation = operation, EngineMessage = answer },
                    var status => new EngineException(text, (int)status, api) { Operation = operation, EngineMessage = answer },
                };
            case AggregateException aggregate when aggregate.InnerExceptions.All(IsConnectionFailure):
            case var connection when IsConnectionFailure(connection):
                var reason = ReasonOf(ex, host);
                return new EngineUnavailableException($"Docker engine at {host} is unreachable: {reason}", ex) { Host = host, Reason = reason };
            default:
                return null;
        }
    }

    /// <summary>A pull's failure (HTTP error before the stream, or an <c>errorDetail</c> line in it), typed by its message.</summary>
    public static EngineException ToPullException(string image, string message, int statusCode)
    {
        message = WithoutRepeatedParts(message);
        var operation = $"pull of '{image}'";
        var text = $"{operation} failed: {message}";
        if (ContainsAny(message, "unauthorized", "no basic auth credentials", "denied", "authentication required") || statusCode is 401 or 403)
        {
            return new ImagePullDeniedException(image, text) { Operation = operation, EngineMessage = message };
        }

        if (ContainsAny(message, "not found", "manifest unknown", "does not exist") || statusCode == 404)
        {
            return new ImageNotFoundException(image, text) { Operation = operation, EngineMessage = message };
        }

        return new EngineException(text, statusCode) { Operation = operation, EngineMessage = message };
    }

    /// <summary>
    /// <paramref name="message"/> with each <c>": "</c>-separated part that only repeats the one before it left out: a
    /// registry's missing tag reads <c>manifest for x:9 not found: manifest unknown: manifest unknown</c> (dockerd joins
    /// the registry's error code and its message, which are the same words), shown as <c>… not found: manifest unknown</c>.
    /// </summary>
    internal static string WithoutRepeatedParts(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parts = message.Split(": ");
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (kept.Count == 0 || !string.Equals(kept[^1], part, StringComparison.OrdinalIgnoreCase))
            {
                kept.Add(part);
            }
        }

        return string.Join(": ", kept);
    }

    /// <summary>
    /// Why the engine did not answer: for a <c>unix://</c> host whose socket file does not exist, <c>no socket file there</c>
    /// (.NET reads that ENOENT as "Cannot assign requested address"); one the node's user may not reach or open says so and
    /// what to do (before, a folder closed to it read "no socket file there", and a socket it may not open "Permission
    /// denied" alone); else the connection's own error.
    /// </summary>
    internal static string ReasonOf(Exception ex, string host)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            if (!Common.FileStatus.TryOf(host["unix://".Length..], followLinks: true, out _, out var errno))
            {
                return errno == PermissionDeniedErrno
                    ? $"permission denied: a folder above the socket file is closed to the user the node runs as ({Environment.UserName}); run the node as root, or as a user who may open the engine's socket"
                    : "no socket file there (is dockerd running? --docker-host, DOCKER_HOST)";
            }

            if (IsPermissionDenied(ex))
            {
                return $"permission denied: the user the node runs as ({Environment.UserName}) may not open the socket file; run the node as root, or add that user to the socket's group (usually docker)";
            }
        }

        return (ex.InnerException ?? ex).Message;
    }

    /// <summary>EACCES.</summary>
    private const int PermissionDeniedErrno = 13;

    private static bool IsPermissionDenied(Exception? ex) => ex switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AccessDenied } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsPermissionDenied),
        _ => IsPermissionDenied(ex.InnerException),
    };

    /// <summary>
    /// No socket, refused, reset or dropped mid-stream (the TCP transport reports a refusal as an AggregateException), or no
    /// answer in time (HttpClient's timeout is a cancellation whose inner exception is a <see cref="TimeoutException"/>).
    /// </summary>
    private static bool IsConnectionFailure(Exception ex) =>
        ex is HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException { InnerException: TimeoutException };

    private static bool ContainsAny(string text, params string[] needles) =>
        needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
}
