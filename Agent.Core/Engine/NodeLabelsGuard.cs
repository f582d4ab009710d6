namespace GradientNode.Core.Engine;

/// <summary>
/// The engine copies an image's labels onto every container made from it, and the create request's own labels win only
/// for the keys they set. So an image built with <c>LABEL gradient.gpus=GPU-…</c> gave a CPU replica a claim on another
/// deployment's GPU (the allocator reads who holds what from that label), one with <c>gradient.workflow</c> and
/// <c>gradient.run</c> made a replica pass for a job container left behind, which the node removed at start and whenever
/// a run ended, and one with <c>gradient.deployment</c> made a job container pass for a replica (found by the ninth
/// adversary review). An image that carries a key only the node sets (<see cref="ContainerLabels.NodeOwned"/>) and that
/// the request does not set itself is refused before the create, naming the key; the node's own keys always win.
/// </summary>
public static class NodeLabelsGuard
{
    /// <summary>
    /// <see cref="Check"/> against <see cref="ContainerCreateRequest.InspectedImage"/> when the caller has it (one image
    /// inspect per create, not two), else against the image as <paramref name="engine"/> inspects it now.
    /// </summary>
    /// <exception cref="ImageLabelsRefusedException">The image carries a node-owned label the request would not override.</exception>
    public static async Task CheckAsync(IContainerEngine engine, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(request);
        Check(request, request.InspectedImage ?? await engine.InspectImageAsync(request.Image, cancellationToken).ConfigureAwait(false));
    }

    /// <exception cref="ImageLabelsRefusedException">The image carries a node-owned label the request would not override.</exception>
    public static void Check(ContainerCreateRequest request, ImageDetails? image)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (image?.Labels is not { Count: > 0 } labels)
        {
            return; // no such image: the create says so
        }

        // gradient.cap-drop is set on every create by DockerModelMapper, so the image's never shows.
        var forged = ContainerLabels.NodeOwned.Where(k => k != ContainerLabels.CapDrop && labels.ContainsKey(k) && !request.Labels.ContainsKey(k)).ToList();
        if (forged.Count > 0)
        {
            var which = string.Join(", ", forged);
            throw new ImageLabelsRefusedException(
                $"image '{request.Image}' carries the label{(forged.Count > 1 ? "s" : "")} {which}, which only the node sets on its containers (they say which deployment, workflow run or GPUs a container has); a container made from it would pass for what it is not, so it is not created: build the image without {(forged.Count > 1 ? "them" : "it")}")
            {
                Operation = $"create container '{request.Name}'",
            };
        }
    }
}
