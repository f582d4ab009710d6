using GradientNode.Core.Common;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Secret values a deployment's replicas may still hold though the store has moved on: a replica keeps the environment it
/// was started with until it is replaced, so after <c>secrets set</c> (or <c>secrets rm</c>, or a <c>restart</c> while the old
/// replicas drain) it can still print the value before. <see cref="SecretSnapshots"/> puts such values here, and its
/// masks hide them in that deployment's logs until the deployment is removed and none of its containers is left.
/// Kept under <c>&lt;state-dir&gt;/snapshots/retired/</c> (0700, files 0600), because replicas outlive a daemon restart.
/// At most <see cref="MaxPerDeployment"/> newest values per deployment are kept: a replica left running through more
/// changes of its secrets than that, with no restart, shows its oldest one again.
/// </summary>
public sealed class RetiredSecretValues
{
    public const int MaxPerDeployment = 32;
    private readonly string _directory;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <param name="damage">Keeps a damaged file aside and names it (default: unlogged).</param>
    public RetiredSecretValues(string snapshotsDirectory, StateFileDamage? damage = null)
    {
        damage ??= StateFileDamage.Unlogged;
        ArgumentNullException.ThrowIfNull(snapshotsDirectory);
        _directory = Path.Combine(snapshotsDirectory, "retired");
        OwnerOnlyDirectory.Create(_directory);
        foreach (var file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (damage.Read(file, SecretJsonContext.Default.ListString, Without) is { Count: > 0 } values)
            {
                _values[Path.GetFileNameWithoutExtension(file)] = values;
            }
        }
    }

    /// <summary>Adds <paramref name="values"/> to what <paramref name="slug"/>'s replicas may still hold (kept newest last).</summary>
    public void Add(string slug, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(slug);
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            var kept = _values.TryGetValue(slug, out var known) ? known : [];
            var before = kept.Count;
            foreach (var value in values.Where(v => v.Length > 0))
            {
                kept.Remove(value);
                kept.Add(value);
            }

            if (kept.Count > MaxPerDeployment)
            {
                kept.RemoveRange(0, kept.Count - MaxPerDeployment);
            }

            if (kept.Count == 0 && before == 0)
            {
                return;
            }

            _values[slug] = kept;
            Save(slug, kept);
        }
    }

    /// <summary>The values <paramref name="slug"/>'s replicas may still hold.</summary>
    public IReadOnlyList<string> Of(string slug)
    {
        lock (_gate)
        {
            return _values.TryGetValue(slug, out var values) ? [.. values] : [];
        }
    }

    /// <summary>Every deployment's.</summary>
    public IReadOnlyList<string> All()
    {
        lock (_gate)
        {
            return [.. _values.Values.SelectMany(v => v)];
        }
    }

    /// <summary>The deployment is removed and none of its containers is left: nothing of its old values is needed.</summary>
    public void Drop(string slug)
    {
        lock (_gate)
        {
            _values.Remove(slug);
            File.Delete(PathOf(slug));
        }
    }

    private string PathOf(string slug) => Path.Combine(_directory, slug + ".json");

    private void Save(string slug, List<string> values)
    {
        // Not written (a full disk must not stop the node): the values are masked from memory; only a daemon restart would lose them.
        _ = JsonStateFile.TryWrite(PathOf(slug), values, SecretJsonContext.Default.ListString);
    }

    private const string Without = "the old secret values this deployment's replicas may still hold are no longer masked in its logs until they are replaced (gradient-node restart NAME)";
}
