namespace GradientNode.Core.Integrations;

/// <summary>One git repository to clone (with its LFS objects): a <c>git-lfs</c> integration or a legacy repository.</summary>
public sealed record GitSource(string Url, string? Ref, string? Username, string? Password) : VolumeSource
{
    public override string Canonical() => $"git\n{Url}\n{Ref}\n{Username}\n{VolumeKeys.SecretDigest(Password)}";

    public override string ToString() => $"git {Redacted(Url)}{(Ref is null ? string.Empty : "@" + Ref)}";

    /// <summary>The URL without any <c>user:password@</c> written into it, for logs and messages.</summary>
    public static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;
}
