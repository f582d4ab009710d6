namespace GradientNode.Daemon.Hosting;

/// <summary>
/// A listening unix socket the service manager opened and passed down (systemd's <c>gradient-node.socket</c>): its file
/// descriptor and path. The daemon serves its API on it when the path is its <c>--socket</c>, so the socket file, and the
/// CLI connections waiting in its queue, outlive a restart of the daemon.
/// </summary>
internal sealed record InheritedUnixSocket(int Descriptor, string Path)
{
    /// <summary>The inherited socket at <paramref name="socket"/> (both paths made full), if any.</summary>
    public static InheritedUnixSocket? For(string socket, IReadOnlyList<InheritedUnixSocket> inherited)
    {
        var full = System.IO.Path.GetFullPath(socket);
        return inherited.FirstOrDefault(s => string.Equals(System.IO.Path.GetFullPath(s.Path), full, StringComparison.Ordinal));
    }
}
