using GradientNode.Core.Engine;

namespace GradientNode.Core.Registries;

/// <summary>
/// The next step a failed pull adds, for deployments and workflow jobs alike. With a stored connection: refused
/// credentials, or a registry that did not answer (down, wrong port, DNS), are both looked into with
/// <c>registries test NAME</c>, which says which step fails (connect, auth, token) without another pull. Without one (a
/// public image, as Gradient's docs write <c>image: tensorflow/serving</c>), a registry that did not answer is most often
/// a node with no way out: it is told to check that, or to put the image on the node, which then runs it without a pull;
/// before, such a status held the engine's <c>dial tcp: lookup registry-1.docker.io …: no such host</c> alone. A missing
/// image or an unreachable engine is not the registry's doing and gets none.
/// </summary>
public static class RegistryCheckHint
{
    public static string For(EngineException failure, RegistryConnection? connection, string image) => (failure, connection) switch
    {
        (ImageNotFoundException or EngineUnavailableException, _) or (ImagePullDeniedException, null) => "",
        (_, null) => $" (the registry {RegistryHost.OfImage(image) ?? "docker.io"} did not answer this node: check that the node reaches it (network, DNS, proxy), or put the image on the node yourself (docker load -i FILE, or docker build -t {image} .), and it runs without a pull)",
        (ImagePullDeniedException, { } refused) => $" (check them: gradient-node registries test {refused.Name})",
        (_, { } used) => $" (check the registry answers: gradient-node registries test {used.Name})",
    };
}
