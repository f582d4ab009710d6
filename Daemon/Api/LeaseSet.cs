namespace GradientNode.Daemon.Api;

/// <summary>Leases given back together (a followed workflow run's places under <see cref="LogFollowLimit"/>).</summary>
internal sealed class LeaseSet(IReadOnlyList<LogFollowLease> leases) : IDisposable
{
    public void Dispose()
    {
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }
}
