namespace GradientNode.Core.Export;

/// <summary>
/// The wrapper of an init container that fetches into a claim (<c>--pvc</c>): <c>$KEPT</c> there already (an earlier pod
/// fetched it) → nothing to do; else the fetch command (its arguments) fills <c>$TARGET</c>, a <c>.partial-</c> folder of
/// this pod's own, which is renamed to <c>$KEPT</c> only when the fetch succeeded. If another pod renamed its copy first,
/// <c>mv -T</c> refuses and this copy is removed. A failed fetch removes its partial folder and fails the pod's start,
/// saying on stderr which folder (<c>$KEPT</c>, named by the source's key) failed, with the command's exit code. When the
/// rename failed and no other pod's copy is there either, the start fails too: otherwise the app's <c>subPath</c> mount
/// would make an empty <c>$KEPT</c> that every later pod takes for a finished fetch.
/// Every start first removes the <c>.partial-</c> folders of pods that died mid-fetch: one in which nothing changed for an
/// hour (a fetch that runs writes its files all along; one stalled that long loses its copy, fails its rename and its
/// pod starts again). <c>find</c> may be missing from a helper image: the sweep is best effort and never fails a start.
/// No <c>$(</c> or <c>$$</c> in it: Kubernetes expands those in a container's command.
/// </summary>
internal static class ClaimFetch
{
    /// <summary>Where the init container mounts the claim.</summary>
    public const string Root = "/claim";

    public const string Script =
        "find \"${KEPT%/*}\" -maxdepth 1 -mindepth 1 -type d -name '.partial-*' -mmin +60 ! -exec sh -c 'find \"$1\" -mmin -61 | grep -q .' sh {} ';' " +
        "-exec rm -rf {} ';' -exec echo 'removed an abandoned partial folder (nothing in it changed for an hour):' {} ';' 2>/dev/null; " +
        "if [ -d \"$KEPT\" ]; then echo \"$KEPT: fetched by an earlier pod, kept\"; exit 0; fi; " +
        "rm -rf \"$TARGET\"; mkdir -p \"$TARGET\" || { echo \"$KEPT: cannot make the partial folder $TARGET in the claim\" >&2; exit 1; }; " +
        "\"$@\" || { code=$?; rm -rf \"$TARGET\"; echo \"$KEPT: the fetch failed (exit code $code); its partial copy $TARGET was removed, nothing is kept\" >&2; exit $code; }; " +
        "mv -T \"$TARGET\" \"$KEPT\" 2>/dev/null || rm -rf \"$TARGET\"; " +
        "[ -d \"$KEPT\" ] || { echo \"$KEPT: the fetched copy could not be renamed into place (its partial copy $TARGET was removed)\" >&2; exit 1; }; " +
        "echo \"$KEPT: fetched\"";
}
