using Docker.DotNet.Models;

namespace GradientNode.Core.Engine;

public sealed partial class DockerEngine
{
    /// <summary>The first Engine API whose <c>GET /system/df</c> answers in the shape the library models (<c>ImageUsage.TotalSize</c>).</summary>
    internal static readonly System.Version SystemDfImageUsageApi = new(1, 52);

    public Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken) =>
        CallAsync("images disk usage", async c =>
        {
            // API >= 1.52: the engine's own total of unique image bytes (GET /system/df?type=image).
            if (c.Options.ApiVersion is { } api && api >= SystemDfImageUsageApi)
            {
                var usage = await c.System.GetDataUsageInfoAsync(new SytemDataUsageInfoParameters { Type = ["image"] }, cancellationToken).ConfigureAwait(false);
                if (usage.ImageUsage?.TotalSize is { } total)
                {
                    return total;
                }
            }

            // Older engines: GET /images/json, each image's size once (layers shared between images count once per image).
            var images = await c.Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken).ConfigureAwait(false);
            return images.DistinctBy(i => i.ID, StringComparer.Ordinal).Sum(i => Math.Max(0, i.Size));
        }, cancellationToken);
}
