namespace GradientNode.Core.Engine;

/// <summary>
/// Keeps GPUs to the allocator. The NVIDIA Container Toolkit gives a container the GPUs its <c>NVIDIA_VISIBLE_DEVICES</c>
/// names whenever the container runs with the toolkit's runtime or hook, which on a GPU host is often dockerd's default
/// runtime: so a replica or job the allocator gave no GPUs got every GPU of the host from <c>env: NVIDIA_VISIBLE_DEVICES:
/// all</c> in its spec, or from its image (the <c>nvidia/cuda</c> images set <c>ENV NVIDIA_VISIBLE_DEVICES=all</c>).
/// Every create goes through <see cref="Confine"/>: a request without the allocator's <see cref="ContainerLabels.Gpus"/>
/// label loses any such entry and gets <c>NVIDIA_VISIBLE_DEVICES=void</c> (the toolkit's "no GPU, nothing injected",
/// which also overrides the image's value); one with the label keeps the devices the lease put there.
/// </summary>
public static class GpuVisibility
{
    public const string Variable = "NVIDIA_VISIBLE_DEVICES";

    /// <summary>The toolkit's value for "no GPU and no driver files" (<c>none</c> would still mount the driver).</summary>
    public const string NoGpus = "void";

    public static ContainerCreateRequest Confine(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Labels.ContainsKey(ContainerLabels.Gpus))
        {
            return request;
        }

        var env = request.Env.Where(e => !IsVisibleDevices(e)).ToList();
        env.Add($"{Variable}={NoGpus}");
        return request with { Env = env };
    }

    /// <summary><c>NVIDIA_VISIBLE_DEVICES=…</c>, or the bare name (which Docker fills from the daemon's own environment).</summary>
    private static bool IsVisibleDevices(string entry) =>
        entry.StartsWith(Variable, StringComparison.Ordinal) && (entry.Length == Variable.Length || entry[Variable.Length] == '=');
}
