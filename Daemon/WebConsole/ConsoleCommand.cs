using System.Diagnostics;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary><c>gradient-node console [--listen 127.0.0.1:7080] [--open]</c>: runs the console until Ctrl-C or SIGTERM.</summary>
internal static class ConsoleCommand
{
    public static async Task<int> RunAsync(ParsedArgs parsed, string socket, TextWriter stdout, CancellationToken cancellationToken)
    {
        var listen = ListenAddress.Parse(parsed.Get("--listen") ?? ListenAddress.Default);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var api = new ApiClient(socket);
        // Root and the user who started it: the console acts with that user's socket rights, not another local user's.
        var self = Security.Libc.GetEffectiveUserId();
        await using var app = ConsoleServer.Build(listen, api, uid => uid == 0 || uid == self ? null : $"uid {uid} is neither root nor the user who started this console (uid {self})");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new IOException($"cannot listen on {listen.Url}: {ex.Message}", ex);
        }

        await stdout.WriteLineAsync($"gradient-node console on {listen.Url} (daemon socket {socket}); Ctrl-C stops it");
        await stdout.FlushAsync(cancellationToken);
        if (parsed.Has("--open"))
        {
            Open(listen.Url, stdout);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C.
        }

        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    /// <summary>Asks the desktop to open <paramref name="url"/> (xdg-open); without one, says so and goes on.</summary>
    private static void Open(string url, TextWriter stdout)
    {
        try
        {
            using var opener = Process.Start(new ProcessStartInfo("xdg-open") { ArgumentList = { url }, UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            stdout.WriteLine($"no xdg-open here: open {url} in a browser");
        }
    }
}
