namespace GradientNode.Core.Specs;

/// <summary>One entry of <c>integrations</c> (max 5). Content lands at <see cref="MountPath"/> = <c>&lt;path&gt;/&lt;name&gt;</c>.</summary>
public sealed record IntegrationSpec
{
    public const string DefaultModelPath = "/opt/models";

    public required IntegrationType Type { get; init; }

    public required string Name { get; init; }

    public string? Path { get; init; }

    public string? Url { get; init; }

    public string? Region { get; init; }

    public string? Endpoint { get; init; }

    public string? AccessKeyId { get; init; }

    public SecretRef? SecretAccessKey { get; init; }

    /// <summary>The model id of a <c>model</c> integration.</summary>
    public string? Id { get; init; }

    /// <summary>Where the content appears inside every replica, or null for a <c>volume</c> without a path.</summary>
    public string? MountPath => Path is null
        ? (Type == IntegrationType.Model ? $"{DefaultModelPath}/{Name}" : null)
        : $"{Path.TrimEnd('/')}/{Name}";
}
