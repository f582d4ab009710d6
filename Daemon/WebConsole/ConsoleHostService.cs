using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// The console served by the daemon itself when node.yaml sets <c>console: {listen: HOST:PORT}</c>: the same
/// <see cref="ConsoleServer"/> app as <c>gradient-node console</c> (Host check, action header, route whitelist), talking
/// to the daemon's own socket; a local user who may not open that socket is refused (<see cref="ConsoleGate"/>). A port it cannot listen on is logged and the daemon runs on without a console: the
/// console is a convenience, never a reason to stop serving deployments.
/// </summary>
internal sealed partial class ConsoleHostService(ListenAddress listen, bool allowRemote, string socket, Security.SocketAccessPolicy access, ILogger<ConsoleHostService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var api = new ApiClient(socket);
        // A local user is served only when it may open the API socket itself (root, the daemon's user, the socket group).
        await using var app = ConsoleServer.Build(listen, api, access.Refusal, allowRemote);
        try
        {
            await app.StartAsync(stoppingToken);
        }
        catch (IOException ex)
        {
            LogCannotListen(logger, listen.Url, ex);
            return;
        }

        LogServing(logger, listen.Url, allowRemote);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stoppingToken.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        await app.StopAsync(CancellationToken.None);
    }

    [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "Web console on {Url} (node.yaml console; remote hosts allowed: {AllowRemote})")]
    private static partial void LogServing(ILogger logger, string url, bool allowRemote);

    [LoggerMessage(EventId = 6451, Level = LogLevel.Error, Message = "Cannot serve the web console on {Url}; the daemon runs on without it")]
    private static partial void LogCannotListen(ILogger logger, string url, Exception exception);
}
