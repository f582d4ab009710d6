using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A real unix datagram socket standing in for systemd's notify socket, at a path or (<paramref name="isAbstract"/>)
/// an abstract name, and the library's <see cref="SystemdNotifier"/> aimed at it. The library reads
/// <c>NOTIFY_SOCKET</c> only from the process environment, once, in its constructor, so <see cref="NotifierFor"/> sets
/// the variable around that call and restores it at once (fixtures that use it are <c>[NonParallelizable]</c>: a
/// child process started meanwhile would inherit it).
/// </summary>
internal sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _path;

    public NotifySocketListener(bool isAbstract = false)
    {
        var name = $"gn-notify-{Guid.NewGuid():N}";
        if (isAbstract)
        {
            Address = "@" + name;
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        }
        else
        {
            _path = Path.Combine(Path.GetTempPath(), name + ".sock");
            Address = _path;
            _socket.Bind(new UnixDomainSocketEndPoint(_path));
        }
    }

    /// <summary>The value for <c>NOTIFY_SOCKET</c>: a path, or <c>@name</c> for an abstract socket.</summary>
    public string Address { get; }

    /// <summary>The library's notifier, built while <c>NOTIFY_SOCKET</c> is <paramref name="address"/> (null: unset).</summary>
    public static SystemdNotifier NotifierFor(string? address)
    {
        var before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", address);
        try
        {
            return new SystemdNotifier();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
        }
    }

    public SystemdNotifier CreateNotifier() => NotifierFor(Address);

    /// <summary>Waits for <paramref name="count"/> datagrams, then takes any strays that follow within a moment.</summary>
    public async Task<List<string>> ReceiveAsync(int count)
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TestTimeouts.Short);
        while (messages.Count < count)
        {
            var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        await TestTimeouts.HoldAsync("a stray datagram sent right after the expected ones is taken too", TimeSpan.FromMilliseconds(50));
        while (_socket.Available > 0)
        {
            var length = _socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return messages;
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_path is not null)
        {
            File.Delete(_path);
        }
    }
}
