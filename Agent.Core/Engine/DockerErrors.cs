using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet;

namespace GradientNode.Core.Engine;

/// <summary>
/// Maps Docker.DotNet's exceptions to the typed <see cref="EngineException"/> family: 404 to the not-found type of what
/// the engine's message says is missing (<see cref="NotFound"/>), 409 to <see cref="ContainerConflictException"/>, 401/403 on a pull to <see cref="ImagePullDeniedException"/>,
/// a socket that does not answer to <see cref="EngineUnavailableException"/>. Messages carry the engine's own
/// <c>message</c>, never a request header (so never a registry password).
/// </summary>
internal static partial class DockerErrors
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
                    HttpStatusCode.NotFound => NotFound(api, operation, answer, containerId, image),
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

    /// <summary>
    /// A 404, typed by what the engine's message says is missing, never by the call alone nor by Docker.DotNet's type (its
    /// create throws <see cref="DockerImageNotFoundException"/>, its start <see cref="DockerContainerNotFoundException"/>,
    /// for any 404): a create answers 404 for a missing image (<c>No such image: x</c>) but also for a missing volume
    /// plugin, and a start for a missing network (<c>network x not found</c>: dockerd resolves a container's network at
    /// its start) or a missing <c>container:</c> network's container. Before, the create's 404 was always a missing image
    /// and the start's always a missing container (the one started), so a network removed under a replica read
    /// <c>container 'ID' not found</c>. A missing network is <see cref="NetworkNotFoundException"/>; a missing image,
    /// when the call names one, <see cref="ImageNotFoundException"/>; the container the call names (stop, remove, start,
    /// stats), <see cref="ContainerNotFoundException"/>; anything else a plain <see cref="EngineException"/> with 404.
    /// </summary>
    private static EngineException NotFound(DockerApiException api, string operation, string answer, string? containerId, string? image)
    {
        var text = $"{operation} failed: {answer}";
        if (MissingNetworkPattern().Match(answer) is { Success: true } network)
        {
            var name = network.Groups["name"].Value.Trim('"', '\'');
            return new NetworkNotFoundException(name.Length > 0 ? name : null, text) { Operation = operation, EngineMessage = answer };
        }

        if (image is not null && MissingImagePattern().IsMatch(answer))
        {
            return new ImageNotFoundException(image, text) { Operation = operation, EngineMessage = answer };
        }

        if (containerId is not null && api is not DockerImageNotFoundException && !NamesAnotherContainer(answer, containerId))
        {
            return new ContainerNotFoundException(containerId);
        }

        return new EngineException(text, 404, api) { Operation = operation, EngineMessage = answer };
    }

    /// <summary>
    /// <c>No such container: X</c> where X is not <paramref name="containerId"/> (nor a prefix of it): the start of a
    /// container whose <c>network_mode: container:X</c> names one that is gone. An empty id (stop, remove) is any container.
    /// </summary>
    private static bool NamesAnotherContainer(string answer, string containerId)
    {
        const string NoSuchContainer = "No such container: ";
        if (containerId.Length == 0 || !answer.StartsWith(NoSuchContainer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var named = answer[NoSuchContainer.Length..].Trim();
        return named.Length > 0 && !containerId.StartsWith(named, StringComparison.Ordinal);
    }

    /// <summary>
    /// dockerd's words for a missing network: libnetwork's <c>network NAME not found</c> (also behind a prefix, as 28.x's
    /// <c>failed to set up container networking: network NAME not found</c>) and older engines' <c>No such network: NAME</c>.
    /// </summary>
    [GeneratedRegex(@"(?:^|: )(?:network (?<name>\S+) not found|No such network: (?<name>\S+))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MissingNetworkPattern();

    /// <summary>dockerd's words for a missing local image (graph driver and containerd image store alike): <c>No such image: REF</c>.</summary>
    [GeneratedRegex(@"(?:^|: )No such image: ", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MissingImagePattern();

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
