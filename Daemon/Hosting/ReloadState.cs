namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The node settings in effect and what the last reload (SIGHUP) left waiting, for <see cref="DaemonReloader"/> and
/// <c>GET /v1/node</c>'s warnings. A reload compares node.yaml with the settings that run, not with the file read at the
/// reload before: before, a setting that needed a restart was logged once and then taken as running, so a second reload
/// said nothing of it, and after a changed <c>socket</c> the socket group was set on a path nothing serves. Pure; the
/// reloader calls it under its own lock.
/// </summary>
internal sealed class ReloadState(Configuration.NodeOptions started)
{
    private readonly Lock _gate = new();
    private IReadOnlyList<string> _pending = [];
    private string? _rejected;

    /// <summary>The settings in effect: those the node started with, and the socket group as last applied.</summary>
    public Configuration.NodeOptions Running { get; private set; } = started;

    /// <summary>
    /// Takes the settings read now: the keys that differ from what runs (the socket group among them is applied here, the
    /// others wait for a restart and are remembered until a reload finds them back at their running value).
    /// </summary>
    public IReadOnlyList<string> Take(Configuration.NodeOptions next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            var differences = DaemonReloader.Differences(Running, next);
            if (differences.Contains("socketGroup"))
            {
                Running = Running with { SocketGroup = next.SocketGroup };
            }

            _pending = [.. differences.Where(key => key != "socketGroup")];
            _rejected = null;
            return differences;
        }
    }

    /// <summary>The settings file could not be taken (its error); the running settings stay.</summary>
    public void Reject(string error)
    {
        lock (_gate)
        {
            _rejected = error;
        }
    }

    /// <summary>What <c>gradient-node node</c> lists: settings changed in node.yaml that wait for a restart, and a node.yaml the last reload refused.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                var warnings = new List<string>();
                if (_pending.Count > 0)
                {
                    warnings.Add($"node.yaml changes {string.Join(", ", _pending)} since the node started; {(_pending.Count == 1 ? "it takes" : "they take")} effect at a restart (systemctl restart gradient-node), the running value{(_pending.Count == 1 ? " is" : "s are")} kept until then");
                }

                if (_rejected is { } error)
                {
                    warnings.Add($"the last reload did not take node.yaml, and the node would not start with it as it is: {error}; the running settings are kept");
                }

                return warnings;
            }
        }
    }
}
