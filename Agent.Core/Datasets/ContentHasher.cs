using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// The SHA-256 of a file's whole content, as a download of it would carry, read region by region: the data regions are
/// read, and the holes of a sparse file (<see cref="FileRegions"/>) are hashed as the zeros they read as, without reading
/// them. A hole costs no I/O then, only the hashing (zeros hash as fast as other bytes, about 1–2 GB/s a core), so a file
/// whose holes add up to more than <c>maxHoleBytes</c> is refused rather than hashed for minutes or years (a job's
/// <c>truncate -s 8E</c>), and so is a file that brings the holes of its version's files together past it (<c>holesBefore</c>:
/// those of the files hashed before it; 10,000 files of <c>truncate -s 1T</c> each were months of the daemon's CPU). Both
/// are refused before their holes are hashed. Cancellable between chunks; <c>advanced</c> hears of every chunk hashed.
/// </summary>
internal static class ContentHasher
{
    /// <summary>The holes the files of one dataset version may have together: 1 TiB (see docs/design/datasets.md, "Sparse files").</summary>
    public const long DefaultMaxHoleBytes = 1L << 40;

    private const int Chunk = 1 << 20;
    private static readonly byte[] Zeros = new byte[Chunk];

    /// <param name="shown">The file's name for an error (its path in the version).</param>
    /// <param name="holesBefore">The holes of the version's files hashed before this one.</param>
    /// <returns>The hash, and the file's holes.</returns>
    public static async Task<(string Sha256, long Holes)> HashAsync(string file, string shown, long maxHoleBytes, long holesBefore, Action<long>? advanced, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            var (offset, holes) = (0L, 0L);
            while (offset < length)
            {
                var (start, end) = FileRegions.NextData(handle, offset, length);
                holes += start - offset;
                if (holes > maxHoleBytes)
                {
                    throw TooSparse(shown, length, maxHoleBytes);
                }

                if (holes > maxHoleBytes - holesBefore)
                {
                    throw TooSparseTogether(shown, maxHoleBytes);
                }

                for (; offset < start; offset += Math.Min(Chunk, start - offset))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var n = (int)Math.Min(Chunk, start - offset);
                    hash.AppendData(Zeros, 0, n);
                    advanced?.Invoke(n);
                }

                while (offset < end)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(Chunk, end - offset)), offset, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (Finish(hash), holes); // shortened under the reader: the hash of what was there
                    }

                    hash.AppendData(buffer, 0, read);
                    offset += read;
                    advanced?.Invoke(read);
                }
            }

            return (Finish(hash), holes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Finish(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());

    private static DatasetException TooSparse(string shown, long length, long maxHoleBytes) => new(
        DatasetError.Invalid,
        $"'{shown}' is a sparse file of {Bytes(length)} whose holes (unwritten ranges) add up to more than the {Bytes(maxHoleBytes)} a file of a dataset version may have: "
        + "its hash would read all of it and every download would carry it in full; write the data it holds, or an archive of it; nothing was committed");

    private static DatasetException TooSparseTogether(string shown, long maxHoleBytes) => new(
        DatasetError.Invalid,
        $"'{shown}' brings the holes (unwritten ranges) of the version's sparse files together to more than the {Bytes(maxHoleBytes)} one dataset version may have: "
        + "their hash would read all of it and every download would carry it in full; write the data they hold, or an archive of them; nothing was committed");

    private static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
