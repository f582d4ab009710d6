using GradientNode.Core.Common;

namespace GradientNode.Core.Engine;

/// <summary>
/// Keeps GPUs to the allocator. The NVIDIA Container Toolkit gives a container the GPUs its <c>NVIDIA_VISIBLE_DEVICES</c>
/// names whenever the container runs with the toolkit's runtime or hook, which on a GPU host is often dockerd's default
/// runtime: so a replica or job the allocator gave no GPUs got every GPU of the host from <c>env: NVIDIA_VISIBLE_DEVICES:
/// all</c> in its spec, or from its image (the <c>nvidia/cuda</c> images set <c>ENV NVIDIA_VISIBLE_DEVICES=all</c>).
/// Every create goes through <see cref="Confine"/>: a request without the allocator's <see cref="ContainerLabels.Gpus"/>
/// label loses any such entry and gets <c>NVIDIA_VISIBLE_DEVICES=void</c> (the toolkit's "no GPU, nothing injected",
/// which also overrides the image's value); one with the label keeps the devices the lease put there. Every container
/// also gets <see cref="NvidiaToolkitEnv.Forced"/> (no MIG control, no host devices beyond its GPUs), and a leased one
/// allowed driver capabilities only (the spec's when allowed, <c>all</c> narrowed to them, else <c>compute,utility</c>).
/// A spec may name <c>NVIDIA_VISIBLE_DEVICES</c> (as it always could): its value never wins, the lease's or <c>void</c> does.
/// </summary>
public static class GpuVisibility
{
    public const string Variable = "NVIDIA_VISIBLE_DEVICES";

    /// <summary>The toolkit's value for "no GPU and no driver files" (<c>none</c> would still mount the driver).</summary>
    public const string NoGpus = "void";

    public static ContainerCreateRequest Confine(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leased = request.Labels.ContainsKey(ContainerLabels.Gpus);
        var env = request.Env
            .Where(e => !NvidiaToolkitEnv.IsForced(e) && (leased || !IsVisibleDevices(e)) && !IsRefusedCapabilities(e))
            .Select(NarrowCapabilities)
            .ToList();
        if (!leased)
        {
            env.Add($"{Variable}={NoGpus}");
        }
        else if (!env.Any(e => NvidiaToolkitEnv.NameOf(e) == NvidiaToolkitEnv.Capabilities))
        {
            env.Add($"{NvidiaToolkitEnv.Capabilities}={NvidiaToolkitEnv.DefaultCapabilities}");
        }

        // After the spec's env, so the node's values win over the image's ENV too (NvidiaToolkitEnv).
        env.AddRange(NvidiaToolkitEnv.Forced);
        return request with { Env = env };
    }

    /// <summary>A capabilities entry with <c>all</c> gets the allowed ones (<see cref="NvidiaToolkitEnv.Narrowed"/>), never <c>display</c>.</summary>
    private static string NarrowCapabilities(string entry) =>
        NvidiaToolkitEnv.NameOf(entry) == NvidiaToolkitEnv.Capabilities
            ? $"{NvidiaToolkitEnv.Capabilities}={NvidiaToolkitEnv.Narrowed(entry[(NvidiaToolkitEnv.Capabilities.Length + 1)..])}"
            : entry;

    /// <summary>A capabilities entry the parsers would refuse (<c>display</c>), or a bare one: the image's value would show through.</summary>
    private static bool IsRefusedCapabilities(string entry) =>
        NvidiaToolkitEnv.NameOf(entry) == NvidiaToolkitEnv.Capabilities
        && (entry.Length == NvidiaToolkitEnv.Capabilities.Length || !NvidiaToolkitEnv.CapabilitiesAllowed(entry[(NvidiaToolkitEnv.Capabilities.Length + 1)..]));

    /// <summary><c>NVIDIA_VISIBLE_DEVICES=…</c>, or the bare name (dockerd's "unset": void is what the container gets).</summary>
    private static bool IsVisibleDevices(string entry) =>
        entry.StartsWith(Variable, StringComparison.Ordinal) && (entry.Length == Variable.Length || entry[Variable.Length] == '=');
}
