using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace GradientNode.Core.Status;

/// <summary>
/// The latest status of every deployment, swapped atomically as whole snapshots. <see cref="Changed"/>
/// fires after every change that matters (a new time stamp alone does not count). What tells a change is a 128-bit
/// prefix of the SHA-256 of the status's JSON (without its time stamp), kept per deployment instead of the JSON
/// itself (issue 20: a few KB per deployment became 16 bytes); the JSON is written into one reused buffer.
/// </summary>
public sealed class StatusStore
{
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, DeploymentStatus> _statuses = ImmutableSortedDictionary.Create<string, DeploymentStatus>(StringComparer.Ordinal);
    private readonly Dictionary<string, UInt128> _fingerprints = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private ImmutableDictionary<string, string> _waiting = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);
    private long _version;

    public event Action<long>? Changed;

    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<DeploymentStatus> All => [.. _statuses.Values];

    public DeploymentStatus? Get(string slug) => _statuses.GetValueOrDefault(slug);

    /// <summary>
    /// Why a deployment has no status yet (its first pass could not reach the engine), for the API's placeholder; null when
    /// nothing is known. It is no status: the route table and <see cref="Changed"/> ignore it, and a status clears it.
    /// </summary>
    public string? WaitingReason(string slug) => _waiting.GetValueOrDefault(slug);

    /// <summary>Records <paramref name="reason"/> for a deployment that has no status; ignored once it has one.</summary>
    public void SetWaitingReason(string slug, string reason)
    {
        lock (_gate)
        {
            if (!_statuses.ContainsKey(slug))
            {
                _waiting = _waiting.SetItem(slug, reason);
            }
        }
    }

    public void Set(string slug, DeploymentStatus? status)
    {
        long version;
        lock (_gate)
        {
            var old = _statuses.GetValueOrDefault(slug);
            _waiting = _waiting.Remove(slug);
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
                var same = old is not null && _fingerprints.TryGetValue(slug, out var previous) && previous == fingerprint;
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

    /// <summary>Under <see cref="_gate"/> (it reuses <see cref="_json"/>).</summary>
    private UInt128 Fingerprint(DeploymentStatus status)
    {
        _json.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_json))
        {
            JsonSerializer.Serialize(writer, status with { ObservedAt = default }, StatusJsonContext.Default.DeploymentStatus);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_json.WrittenSpan, hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }
}
