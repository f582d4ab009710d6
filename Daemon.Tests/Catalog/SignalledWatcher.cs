using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A <see cref="SpecDirectoryWatcher"/> whose loop runs on a fake clock and whose file events the test raises itself
/// (<see cref="Signal"/>) instead of inotify, for the debounce and settle tests; disposing it stops the loop and checks
/// that it stopped.
/// </summary>
internal sealed class SignalledWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private Action _signal = () => { };

    private SignalledWatcher(string specs, string state, TimeProvider clock, ILogger<SpecDirectoryWatcher> logger, TimeSpan settle)
    {
        Watcher = new SpecDirectoryWatcher(specs, state, clock, logger)
        {
            Settle = settle,
            StartWatching = (_, onEvent) =>
            {
                _signal = onEvent;
                return new CancellationTokenSource();
            },
        };
        _run = Task.Run(() => Watcher.RunAsync(_stop.Token));
    }

    public SpecDirectoryWatcher Watcher { get; }

    /// <summary>Starts the watcher's loop and waits for its first scan.</summary>
    public static async Task<SignalledWatcher> StartAsync(string specs, string state, TimeProvider clock, ILogger<SpecDirectoryWatcher> logger, TimeSpan settle)
    {
        var started = new SignalledWatcher(specs, state, clock, logger, settle);
        try
        {
            await started.Watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>One file event in the spec directory, as the watch raises it.</summary>
    public void Signal() => _signal();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Assert.That(async () => await _run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        _stop.Dispose();
    }
}
