namespace GradientNode.Core.Integrations;

/// <summary>The git operations a fetch needs: clone a repository and check out a ref into an empty folder.</summary>
internal interface IGitClient
{
    /// <summary>
    /// Clones <paramref name="git"/> into <paramref name="target"/> and checks out its ref (the remote's HEAD when none);
    /// stops with <see cref="GitCloneLimit.Exceeded"/> once the server has sent more than <paramref name="limit"/> allows.
    /// </summary>
    Task CloneAsync(GitSource git, string target, GitCloneLimit limit, FetchProgress progress, CancellationToken cancellationToken);
}
