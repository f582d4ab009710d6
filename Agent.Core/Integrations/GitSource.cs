namespace GradientNode.Core.Integrations;

/// <summary>One git repository to clone (with its LFS objects): a <c>git-lfs</c> integration or a legacy repository.</summary>
public sealed record GitSource(string Url, string? Ref, string? Username, string? Password) : VolumeSource
{
    public override string Canonical() => $"git\n{Url}\n{Ref}\n{Username}\n{VolumeKeys.SecretDigest(Password)}";

    public override string ToString() => $"git {Redacted(Url)}{(Ref is null ? string.Empty : "@" + Ref)}";

    /// <summary>The spec fields the credentials came from (named in a refusal); null where no spec wrote them.</summary>
    public CredentialFields? Fields { get; init; }

    /// <summary>
    /// What a refusal of the credentials (HTTP 401/403) tells the user to check: the fields and secrets the spec author
    /// wrote (<c>accessKeyId and secretAccessKey (secret:hf-token)</c> for a git-lfs integration), never a value; when
    /// the spec gave none, which fields to set.
    /// </summary>
    public string CredentialsHint() => (Fields, Password) switch
    {
        (null, null) => "the repository asks for credentials and none were given",
        (null, _) => "check the repository's credentials",
        ({ } fields, null) => $"the repository asks for credentials; {fields.NoneGivenHint}",
        ({ } fields, _) => fields.CheckHint(Username is not null, GitCredentials.DefaultUser),
    };

    /// <summary>The URL without any <c>user:password@</c> written into it, for logs and messages.</summary>
    public static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;
}
