using System.Collections.Concurrent;

namespace GradientNode.Core.Common;

/// <summary>
/// The damage last logged per name of a store whose files are read again and again (secrets, registry connections at
/// every reconcile): a damaged file is logged once, again when its damage reads otherwise, and again after the name was
/// written or removed. It decides and remembers; the store logs, with its own event id.
/// </summary>
public sealed class DamageLogMemory
{
    private readonly ConcurrentDictionary<string, string> _logged = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="damage"/> of <paramref name="name"/>; true when the caller is to log it now.</summary>
    public bool Report(string name, string damage)
    {
        if (_logged.TryGetValue(name, out var known) && known == damage)
        {
            return false;
        }

        _logged[name] = damage;
        return true;
    }

    /// <summary>The name was written or removed: its next damage is logged.</summary>
    public void Forget(string name) => _logged.TryRemove(name, out _);
}
