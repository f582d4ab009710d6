namespace GradientNode.Core.Integrations;

/// <summary>Every object under <see cref="Prefix"/> of <see cref="Bucket"/> (s3, spaces, or an S3-compatible store at <see cref="Endpoint"/>).</summary>
public sealed record S3Source(string Bucket, string Prefix, string? Region, string? Endpoint, string? AccessKeyId, string? SecretAccessKey) : VolumeSource
{
    /// <summary>Parses <c>s3://bucket/prefix</c> (or, for spaces, a bare <c>bucket/prefix</c>).</summary>
    public static (string Bucket, string Prefix) ParseUrl(string url)
    {
        var rest = url.StartsWith("s3://", StringComparison.Ordinal) ? url["s3://".Length..] : url;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, string.Empty) : (rest[..slash], rest[(slash + 1)..]);
    }

    public override string Canonical() => $"s3\n{Bucket}\n{Prefix}\n{Region}\n{Endpoint}\n{AccessKeyId}\n{VolumeKeys.SecretDigest(SecretAccessKey)}";

    public override string ToString() => $"s3://{Bucket}/{Prefix}";
}
