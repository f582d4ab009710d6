using System.Threading.Channels;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Lines of several producers (the jobs of a followed workflow run) into one answer, in the order they come, with
/// back-pressure: at most <see cref="Capacity"/> lines wait between the producers and the client, and a producer
/// whose line does not fit waits for the client to read. Before, the lines waited in an unbounded channel: a job
/// printing fast and a client that stopped reading (a paused <c>less</c>, a stopped process) grew the daemon's
/// memory without bound (found by the fifth adversary review).
/// </summary>
internal static class LogFunnel
{
    /// <summary>Lines that may wait for the client, all producers together (as a followed deployment's logs).</summary>
    public const int Capacity = 1024;

    /// <summary>
    /// Runs every producer with an emit function and writes what they emit through <paramref name="write"/>, calling
    /// <paramref name="flush"/> whenever no line waits; returns once every producer has ended and every line is written.
    /// </summary>
    public static async Task RunAsync(IReadOnlyList<Func<Func<string, ValueTask>, Task>> producers, Func<string, Task> write, Func<Task> flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(producers);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(flush);
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var running = producers.Select(produce => Task.Run(() => produce(line => lines.Writer.WriteAsync(line, cancellationToken)), cancellationToken)).ToList();
        var done = CloseWhenDoneAsync(running, lines.Writer);
        while (await lines.Reader.WaitToReadAsync(cancellationToken))
        {
            while (lines.Reader.TryRead(out var line))
            {
                await write(line);
            }

            await flush();
        }

        await done;
    }

    private static async Task CloseWhenDoneAsync(List<Task> producers, ChannelWriter<string> writer)
    {
        try
        {
            await Task.WhenAll(producers);
        }
        finally
        {
            writer.TryComplete();
        }
    }
}
