using GradientNode.Core.Routing;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>GET /v1/node/tls</c>: what the node's https listeners serve, as the proxy told it (<see cref="TlsNamesFile"/>, 0600 in
/// the run dir, which only root reads): whether the node's own CA serves a host and the names of the certificates given.
/// <c>gradient-node tls ca</c> asks it, so that a socket-group member gets the answer root gets (before, a member could not
/// read the file and was printed the CA while the node served given certificates alone). The names are the ones the
/// deployments' status warnings already name to the group; the file stays 0600, since the run dir is open to every local user.
/// </summary>
internal static class NodeTlsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/v1/node/tls", (NodeOptions options) =>
        {
            var names = TlsNameWarnings.Read(options);
            return JsonResults.Json(
                new NodeTlsResponse(Path.GetFullPath(options.RunDir), names?.NodeAuthorityServesTheRest, names?.Given ?? []),
                ApiJsonContext.Default.NodeTlsResponse);
        });
}
