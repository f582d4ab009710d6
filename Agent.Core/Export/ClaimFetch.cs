namespace GradientNode.Core.Export;

/// <summary>
/// The wrapper of an init container that fetches into a claim (<c>--pvc</c>): <c>$KEPT</c> there already (an earlier pod
/// fetched it) → nothing to do; else the fetch command (its arguments) fills <c>$TARGET</c>, a <c>.partial-</c> folder of
/// this pod's own, which is renamed to <c>$KEPT</c> only when the fetch succeeded. If another pod renamed its copy first,
/// <c>mv -T</c> refuses and this copy is removed. A failed fetch removes its partial folder and fails the pod's start.
/// No <c>$(</c> or <c>$$</c> in it: Kubernetes expands those in a container's command.
/// </summary>
internal static class ClaimFetch
{
    /// <summary>Where the init container mounts the claim.</summary>
    public const string Root = "/claim";

    public const string Script =
        "if [ -d \"$KEPT\" ]; then echo \"$KEPT: fetched by an earlier pod, kept\"; exit 0; fi; " +
        "rm -rf \"$TARGET\"; mkdir -p \"$TARGET\" || exit 1; " +
        "\"$@\" || { code=$?; rm -rf \"$TARGET\"; exit $code; }; " +
        "mv -T \"$TARGET\" \"$KEPT\" 2>/dev/null || rm -rf \"$TARGET\"; " +
        "echo \"$KEPT: fetched\"";
}
