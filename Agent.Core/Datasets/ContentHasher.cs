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
/// <c>truncate -s 8E</c>). Cancellable between chunks; <c>advanced</c> hears of every chunk hashed.
/// </summary>
internal static class ContentHasher
{
    /// <summary>The holes one file of a dataset version may have together: 1 TiB (see docs/design/datasets.md, "Sparse files").</summary>
    public const long DefaultMaxHoleBytes = 1L << 40;

    private const int Chunk = 1 << 20;
    private static readonly byte[] Zeros = new byte[Chunk];

    /// <param name="shown">The file's name for an error (its path in the version).</param>
    public static async Task<string> HashAsync(string file, string shown, long maxHoleBytes, Action<long>? advanced, CancellationToken cancellationToken)
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
                        return Finish(hash); // shortened under the reader: the hash of what was there
                    }

                    hash.AppendData(buffer, 0, read);
                    offset += read;
                    advanced?.Invoke(read);
                }
            }

            return Finish(hash);
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

    private static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
