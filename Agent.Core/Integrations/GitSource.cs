namespace GradientNode.Core.Integrations;

/// <summary>One git repository to clone (with its LFS objects): a <c>git-lfs</c> integration or a legacy repository.</summary>
public sealed record GitSource(string Url, string? Ref, string? Username, string? Password) : VolumeSource
{
    public override string Canonical() => $"git\n{Url}\n{Ref}\n{Username}\n{VolumeKeys.SecretDigest(Password)}";

    public override string ToString() => $"git {Url}{(Ref is null ? string.Empty : "@" + Ref)}";
}
