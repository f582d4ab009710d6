using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// <c>s3-download@v1</c>: download <see cref="Url"/> (<c>s3://BUCKET[/PREFIX]</c>) into <see cref="Path"/>
/// (<c>with.path</c>, else the job's only volume or dataset output's mount path). <see cref="SecretAccessKey"/>
/// is always a secret reference; <see cref="AccessKey"/> may be one.
/// </summary>
public sealed record S3DownloadActionSpec(
    string Url,
    SpecValue AccessKey,
    SecretRef SecretAccessKey,
    string? Region,
    string? Endpoint,
    string Path) : WorkflowActionSpec
{
    public override WorkflowAction Action => WorkflowAction.S3Download;
}
