using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary>The legacy <c>repositories</c> block: repos cloned into <see cref="Dataset"/>, mounted at <see cref="MountPath"/>.</summary>
public sealed record RepositoriesSpec(string Dataset, string? MountPath, EquatableArray<RepositorySpec> Repositories);
