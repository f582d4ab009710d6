namespace GradientNode.Core.Specs;

public enum IntegrationType
{
    GitLfs,
    S3,

    /// <summary><c>spaces</c>, also written <c>do-spaces</c>.</summary>
    Spaces,
    Model,
    Volume,
}
