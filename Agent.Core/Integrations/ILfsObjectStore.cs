namespace GradientNode.Core.Integrations;

/// <summary>Where a repository's LFS objects come from: its local <c>lfs/objects</c> folder or its LFS batch API.</summary>
internal interface ILfsObjectStore
{
    /// <summary>Looks the objects up; answers, for each one that cannot be had, its oid and why.</summary>
    Task<IReadOnlyDictionary<string, string>> LocateAsync(IReadOnlyList<LfsPointer> objects, CancellationToken cancellationToken);

    /// <summary>The content of an object <see cref="LocateAsync"/> found (not yet verified: the caller hashes it).</summary>
    Task<Stream> OpenAsync(LfsPointer pointer, CancellationToken cancellationToken);
}
