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

    /// <summary>The spec fields the keys came from (named in a refusal); null where no spec wrote them (<c>fetch</c>).</summary>
    public CredentialFields? Fields { get; init; }

    /// <summary>What an access denied tells the user to check: the fields and secrets the spec wrote, never a value.</summary>
    public string CredentialsHint() => (Fields, SecretAccessKey) switch
    {
        (null, _) => "check the access key id and the secret access key",
        ({ } fields, null) => $"the bucket is not public; {fields.NoneGivenHint}",
        ({ } fields, _) => fields.CheckHint(userGiven: true),
    };
}
