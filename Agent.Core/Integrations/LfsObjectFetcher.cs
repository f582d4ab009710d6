using System.Buffers;
using System.Security.Cryptography;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Replaces the LFS pointer files of a checked-out work tree with their objects: each distinct object is streamed to a
/// temporary file beside its pointer, checked against the pointer's size and SHA-256, and only then renamed over it
/// (in parallel, <c>parallelism</c> at a time). An object that cannot be had fails the fetch naming the file and oid:
/// a pointer never reaches a replica. The declared sizes must fit the disk's free space, all together before any is
/// fetched and each again before its download, and no download is written past its declared size.
/// </summary>
internal sealed class LfsObjectFetcher(int parallelism, Func<string, long> freeSpace)
{
    private const int BufferSize = 128 * 1024;

    /// <summary>The pointer files under <paramref name="workTree"/> (its <c>.git</c> folder and symbolic links skipped).</summary>
    public static List<(string Path, LfsPointer Pointer)> FindPointers(string workTree)
    {
        var gitDir = Path.Combine(workTree, ".git") + Path.DirectorySeparatorChar;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        return [.. new DirectoryInfo(workTree).EnumerateFiles("*", options)
            .Where(f => !f.FullName.StartsWith(gitDir, StringComparison.Ordinal) && f.Length <= LfsPointer.MaxPointerBytes)
            .Select(f => (f.FullName, Pointer: LfsPointer.Read(f.FullName)))
            .Where(p => p.Pointer is not null)
            .Select(p => (p.FullName, p.Pointer!))
            .OrderBy(p => p.FullName, StringComparer.Ordinal)];
    }

    /// <summary>Fetches the LFS objects of <paramref name="repository"/> (its URL without credentials, for messages) into <paramref name="workTree"/>.</summary>
    public async Task FetchAsync(string workTree, string repository, Func<ILfsObjectStore> store, FetchProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(progress);
        var pointers = FindPointers(workTree);
        if (pointers.Count == 0)
        {
            return;
        }

        var objects = pointers.GroupBy(p => p.Pointer).Select(g => (Pointer: g.Key, Paths: g.Select(p => p.Path).ToList())).ToList();
        // Each path gets its own copy; a pointer may declare any size, so the sums saturate instead of wrapping.
        var declared = objects.Aggregate(0L, (sum, o) => Saturated(sum, o.Pointer.Size));
        var needed = objects.Aggregate(0L, (sum, o) => Saturated(sum, o.Pointer.Size > long.MaxValue / o.Paths.Count ? long.MaxValue : o.Pointer.Size * o.Paths.Count));
        var free = freeSpace(workTree);
        if (needed > free)
        {
            throw new IntegrationFetchException(
                $"the node's disk is full for it: the LFS objects of {repository} take {needed} bytes ({objects.Count} objects in {pointers.Count} files), more than the {free} bytes the node's disk has free; none was downloaded",
                permanent: false);
        }

        progress.AddTotal(declared, 0);
        var source = store();
        var missing = await source.LocateAsync([.. objects.Select(o => o.Pointer)], cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            var shown = objects.Where(o => missing.ContainsKey(o.Pointer.Oid)).Take(5)
                .Select(o => $"{Path.GetRelativePath(workTree, o.Paths[0])} (oid {o.Pointer.Oid}): {missing[o.Pointer.Oid]}");
            throw new IntegrationFetchException($"{missing.Count} LFS object(s) missing: {string.Join("; ", shown)}", permanent: true);
        }

        progress.Touch();
        await Parallel.ForEachAsync(
            objects.OrderByDescending(o => o.Pointer.Size),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var first = item.Paths[0];
                var freeNow = freeSpace(workTree); // other fetches share the disk: checked again before each download
                if (item.Pointer.Size > freeNow)
                {
                    throw new IntegrationFetchException(
                        $"the node's disk is full for it: the LFS object for {Path.GetRelativePath(workTree, first)} (oid {item.Pointer.Oid}) of {repository} is {item.Pointer.Size} bytes, more than the {freeNow} bytes the node's disk has free now",
                        permanent: false);
                }

                var stream = await source.OpenAsync(item.Pointer, token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await WriteVerifiedAsync(stream, first, item.Pointer, Path.GetRelativePath(workTree, first), progress, token).ConfigureAwait(false);
                }

                foreach (var other in item.Paths.Skip(1))
                {
                    File.Copy(first, other, overwrite: true);
                }
            }).ConfigureAwait(false);
    }

    private static long Saturated(long sum, long add) => add > long.MaxValue - sum ? long.MaxValue : sum + add;

    private static async Task WriteVerifiedAsync(Stream source, string path, LfsPointer pointer, string shown, FetchProgress progress, CancellationToken cancellationToken)
    {
        var mode = File.GetUnixFileMode(path);
        var temp = $"{path}.lfs-{Guid.NewGuid():N}";
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > pointer.Size)
                    {
                        throw NotThePointersObject(shown, pointer);
                    }

                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    progress.AddBytes(read);
                }
            }

            var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (total != pointer.Size || actual != pointer.Oid)
            {
                throw NotThePointersObject(shown, pointer);
            }

            File.SetUnixFileMode(temp, mode);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Says only that what came is not the object (never its size or hash): a download link may point at any address the
    /// root daemon reaches (another deployment's replica, a loopback service filtered by user), and the size and SHA-256
    /// of such a page in status would let a spec author read a short answer by hashing guesses.
    /// </summary>
    private static IntegrationFetchException NotThePointersObject(string shown, LfsPointer pointer) =>
        new($"LFS object for {shown} (oid {pointer.Oid}) failed verification: what was downloaded is not the {pointer.Size}-byte object its pointer names");
}
