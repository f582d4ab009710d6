using Microsoft.AspNetCore.Connections.Features;

namespace GradientNode.Daemon.Security;

/// <summary>
/// The API socket's caller as <see cref="SocketGate"/> read it (SO_PEERCRED) when the connection came in, kept in the
/// connection's items so that an endpoint can count per caller (<see cref="Api.LogFollowLimit"/>).
/// </summary>
internal static class ApiCaller
{
    private static readonly object Key = typeof(ApiCaller);

    /// <summary>Keeps <paramref name="peer"/> with the connection.</summary>
    public static void Remember(IDictionary<object, object?> connectionItems, PeerCredentials peer) => connectionItems[Key] = peer;

    /// <summary>The caller's uid; null when the request did not come through the API socket (an in-process caller).</summary>
    public static uint? Uid(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Key, out var value) == true && value is PeerCredentials peer ? peer.Uid : null;
}
