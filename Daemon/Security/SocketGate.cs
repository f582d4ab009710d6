using System.Text;
using System.Text.Json;
using GradientNode.Daemon.Api;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GradientNode.Daemon.Security;

/// <summary>
/// Guards the API socket: a Kestrel connection middleware that reads the peer's credentials before any HTTP
/// is parsed and answers 403 (then closes) for callers <see cref="SocketAccessPolicy"/> refuses, and 503 (then
/// closes) for members past <see cref="SocketConnectionLimit"/>; and the socket file's group and 0660 mode.
/// </summary>
internal static partial class SocketGate
{
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public static void Use(ListenOptions listen, SocketAccessPolicy policy, SocketConnectionLimit limit, ILogger logger)
    {
        listen.Use(next => async connection =>
        {
            var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
            var peer = socket is null ? null : PeerCredentials.Read(socket);
            if (policy.Refusal(peer) is { } refusal)
            {
                LogRefused(logger, peer?.Pid ?? 0, refusal);
                await AnswerAndCloseAsync(connection, "403 Forbidden", $"permission denied: {refusal}").ConfigureAwait(false);
                return;
            }

            var uid = peer!.Value.Uid;
            ApiCaller.Remember(connection.Items, peer.Value);
            if (!limit.TryEnter(uid))
            {
                if (limit.TakeRefusalReport() is { } refused)
                {
                    LogTooManyConnections(logger, peer.Value.Pid, uid, limit.MaxMemberConnections, refused);
                }

                await AnswerAndCloseAsync(
                    connection,
                    "503 Service Unavailable",
                    $"too many connections to the API socket: {limit.MaxMemberConnections} are open from users other than root (--api-max-connections); try again once some close").ConfigureAwait(false);
                return;
            }

            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                limit.Exit(uid);
            }
        });
    }

    private static async Task AnswerAndCloseAsync(Microsoft.AspNetCore.Connections.ConnectionContext connection, string status, string message)
    {
        var body = JsonSerializer.Serialize(new ApiError(message), ApiJsonContext.Default.ApiError);
        var response = $"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(response), connection.ConnectionClosed).ConfigureAwait(false);
        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Sets mode 0660 and, when group <paramref name="group"/> exists, the socket's group (owner unchanged).</summary>
    public static void Secure(string path, string group, UnixAccounts accounts, ILogger logger)
    {
        File.SetUnixFileMode(path, SocketMode);
        if (accounts.GroupId(group) is not { } gid)
        {
            LogNoGroup(logger, path, group);
            return;
        }

        if (Libc.Chown(path, -1, (int)gid) != 0)
        {
            LogChownFailed(logger, path, group, System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage());
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "API socket: refused a connection from pid {Pid}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "API socket: too many connections from users other than root ({Limit}, --api-max-connections): refused {Refused} since the last such line, the latest from pid {Pid} (uid {Uid}); root and the CLI run as root are still served")]
    private static partial void LogTooManyConnections(ILogger logger, int pid, uint uid, int limit, long refused);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "API socket {Path}: group '{Group}' does not exist; only root and the daemon's user can connect")]
    private static partial void LogNoGroup(ILogger logger, string path, string group);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "API socket {Path}: cannot set group '{Group}': {Error}")]
    private static partial void LogChownFailed(ILogger logger, string path, string group, string error);
}
