using GradientNode.Core.Engine;

namespace GradientNode.Core.Registries;

/// <summary>
/// The next step a failed pull adds when it used a stored connection, for deployments and workflow jobs alike: refused
/// credentials, or a registry that did not answer (down, wrong port, DNS), are both looked into with
/// <c>registries test NAME</c>, which says which step fails (connect, auth, token) without another pull. A missing
/// image or an unreachable engine is not the registry's doing and gets none.
/// </summary>
public static class RegistryCheckHint
{
    public static string For(EngineException failure, RegistryConnection? connection) => (failure, connection) switch
    {
        (_, null) or (ImageNotFoundException or EngineUnavailableException, _) => "",
        (ImagePullDeniedException, { } refused) => $" (check them: gradient-node registries test {refused.Name})",
        (_, { } used) => $" (check the registry answers: gradient-node registries test {used.Name})",
    };
}
