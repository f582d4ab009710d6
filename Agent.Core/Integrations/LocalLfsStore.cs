namespace GradientNode.Core.Integrations;

/// <summary>
/// The LFS objects of a local remote, where <c>git lfs</c> keeps them: <c>lfs/objects/OID[0:2]/OID[2:4]/OID</c> in a
/// bare repository, under <c>.git/</c> in one with a work tree. Each object file must itself pass the
/// <see cref="GitRemotePolicy"/> (a symbolic link out of the <c>--git-local-root</c> folders is not read).
/// </summary>
internal sealed class LocalLfsStore(string repository, GitRemotePolicy remotes) : ILfsObjectStore
{
    public Task<IReadOnlyDictionary<string, string>> LocateAsync(IReadOnlyList<LfsPointer> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pointer in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (PathOf(pointer) is null)
            {
                missing[pointer.Oid] = $"not in {Path.Combine(repository, "lfs", "objects")}";
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(missing);
    }

    public Task<Stream> OpenAsync(LfsPointer pointer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        var path = PathOf(pointer) ?? throw new IntegrationFetchException($"LFS object {pointer.Oid} is not in {repository}", permanent: true);
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    private string? PathOf(LfsPointer pointer)
    {
        var relative = Path.Combine("lfs", "objects", pointer.Oid[..2], pointer.Oid[2..4], pointer.Oid);
        foreach (var candidate in (string[])[Path.Combine(repository, relative), Path.Combine(repository, ".git", relative)])
        {
            if (File.Exists(candidate) && remotes.Check(candidate) is null)
            {
                return candidate;
            }
        }

        return null;
    }
}
