using System.Collections.Immutable;
using System.Text.Json;

namespace GradientNode.Core.Status;

/// <summary>
/// The latest status of every deployment, swapped atomically as whole snapshots. <see cref="Changed"/>
/// fires after every change that matters (a new time stamp alone does not count).
/// </summary>
public sealed class StatusStore
{
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, DeploymentStatus> _statuses = ImmutableSortedDictionary.Create<string, DeploymentStatus>(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private long _version;

    public event Action<long>? Changed;

    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<DeploymentStatus> All => [.. _statuses.Values];

    public DeploymentStatus? Get(string slug) => _statuses.GetValueOrDefault(slug);

    public void Set(string slug, DeploymentStatus? status)
    {
        long version;
        lock (_gate)
        {
            var old = _statuses.GetValueOrDefault(slug);
            if (status is null)
            {
                if (old is null)
                {
                    return;
                }

                _statuses = _statuses.Remove(slug);
                _fingerprints.Remove(slug);
            }
            else
            {
                // The stored status's fingerprint is kept: an unchanged pass serialises once, not twice.
                var fingerprint = Fingerprint(status);
                var same = old is not null && _fingerprints.GetValueOrDefault(slug) == fingerprint;
                _statuses = _statuses.SetItem(slug, status);
                _fingerprints[slug] = fingerprint;
                if (same)
                {
                    return;
                }
            }

            version = ++_version;
        }

        Changed?.Invoke(version);
    }

    private static string Fingerprint(DeploymentStatus status) =>
        JsonSerializer.Serialize(status with { ObservedAt = default }, StatusJsonContext.Default.DeploymentStatus);
}
