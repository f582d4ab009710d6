using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

/// <summary>The legacy <c>repositories</c> block: each repository cloned into its own <c>name</c> subfolder of one dataset version.</summary>
public sealed record RepositorySetSource(EquatableArray<(string Name, GitSource Git)> Repositories) : VolumeSource
{
    public override string Canonical() => "repos\n" + string.Join("\n", Repositories.Select(r => r.Name + "\n" + r.Git.Canonical()));

    public override string ToString() => $"{Repositories.Count} repositories";
}
