using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Catalog;

/// <summary>
/// One deployment the spec directory asks for. <see cref="Spec"/> is what runs: the file's current spec,
/// or its last good one while the file has errors; null when the file has never been valid (state Invalid).
/// </summary>
public sealed record CatalogEntry(
    string Slug,
    string Name,
    string File,
    DeploymentSpec? Spec,
    EquatableArray<SpecError> Errors,
    EquatableArray<string> Conflicts)
{
    /// <summary>The other files that declare this deployment's name and are ignored (their problems are in <see cref="Conflicts"/>).</summary>
    public EquatableArray<string> IgnoredFiles { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// Why there is no last good version to fall back on while the file has errors: its last good copy under the state dir
    /// is there but does not parse (<c>last-good/FILE does not parse: line L, column C</c>, no text of it); null otherwise.
    /// </summary>
    public string? LastGoodProblem { get; init; }

    /// <summary>True when the file on disk is the version that runs.</summary>
    public bool IsCurrent => Errors.IsEmpty && Spec is not null;
}
