namespace GradientNode.Core.Traffic;

/// <summary>
/// The proxy's passive health of one replica (in <c>proxy-stats.json</c>): it did not accept a connection, so the proxy took
/// it out of rotation. <see cref="Since"/> is the first failed connect since the replica last answered a request (each
/// retry after a cooldown that fails again keeps it), <see cref="Until"/> the end of the current cooldown (the proxy
/// tries it again then), <see cref="Reason"/> the connect error (<c>Connection refused (10.0.0.2:8080)</c>).
/// </summary>
public sealed record RotationOut(DateTimeOffset Since, DateTimeOffset Until, string Reason)
{
    /// <summary>Out of rotation at <paramref name="now"/>: its cooldown has not ended.</summary>
    public bool IsOut(DateTimeOffset now) => now < Until;
}
