using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Downloads every object under an S3 prefix with AWSSDK.S3: listed page by page, then fetched in parallel, large
/// objects in ranged parts written at their offsets. Relative paths under the prefix are kept. The endpoint is the spec
/// author's choice, so nothing it answers is trusted to be small: at most <paramref name="maxObjects"/> objects, listed
/// sizes that together fit the disk's free space (checked before any file is made), and never more bytes written than
/// the listing gave each object. A redirect from a given endpoint is not followed (<see cref="S3RedirectRefusal"/>).
/// </summary>
public sealed class S3Fetcher(int parallelism = 16, long partSize = 16L * 1024 * 1024, int maxObjects = S3Fetcher.DefaultMaxObjects) : IIntegrationFetcher
{
    /// <summary>The most objects one prefix may list: the listing is held in memory before anything is downloaded.</summary>
    public const int DefaultMaxObjects = 1_000_000;

    public bool Handles(VolumeSource source) => source is S3Source;

    public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var s3 = source as S3Source ?? throw new ArgumentException($"not an s3 source: {source}", nameof(source));
        using var client = CreateClient(s3);
        try
        {
            var objects = await ListAsync(client, s3, target, progress, cancellationToken).ConfigureAwait(false);
            var remaining = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (item, path) in objects)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
                {
                    RandomAccess.SetLength(handle, item.Size ?? 0);
                }

                var size = item.Size ?? 0;
                if (size == 0)
                {
                    progress.AddFiles(1);
                    continue;
                }

                remaining[path] = (size + partSize - 1) / partSize;
            }

            // Biggest objects first, so one large object does not finish alone at the end. Parts are made as they are
            // taken (a list of every part of every object would grow with the listed sizes, not with the disk).
            var parts = objects.Where(o => (o.Object.Size ?? 0) > 0).OrderByDescending(o => o.Object.Size)
                .SelectMany(o => PartsOf(o.Object.Size!.Value).Select(p => (o.Object, o.Path, p.Offset, p.Length)));
            await Parallel.ForEachAsync(parts, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (part, token) =>
            {
                await DownloadPartAsync(client, s3, part.Object, part.Path, part.Offset, part.Length, progress, token).ConfigureAwait(false);
                bool last;
                lock (remaining)
                {
                    last = --remaining[part.Path] == 0;
                }

                if (last)
                {
                    progress.AddFiles(1);
                }
            }).ConfigureAwait(false);
        }
        catch (S3RedirectException ex)
        {
            throw new IntegrationFetchException($"{s3}: {ex.Message}", permanent: true, ex);
        }
        catch (AmazonS3Exception ex)
        {
            throw Translate(s3, ex);
        }
        catch (AmazonServiceException ex) when (ex.InnerException is HttpRequestException http)
        {
            throw new IntegrationFetchException($"{s3}: network error: {http.Message}", permanent: false, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationFetchException($"{s3}: network error: {ex.Message}", permanent: false, ex);
        }
        catch (IOException ex) when (ex.HResult == 28 || ex.Message.Contains("No space left", StringComparison.Ordinal))
        {
            throw new IntegrationFetchException($"{s3}: the node's disk is full ({ex.Message})", permanent: false, ex);
        }
    }

    private IEnumerable<(long Offset, long Length)> PartsOf(long size)
    {
        for (long offset = 0; offset < size; offset += partSize)
        {
            yield return (offset, Math.Min(partSize, size - offset));
        }
    }

    private static AmazonS3Client CreateClient(S3Source s3)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.Endpoint is not null,
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (s3.Endpoint is { } endpoint)
        {
            // The spec author's endpoint: its redirects are not followed with the credentials. AWS's own (no endpoint) stay
            // AWSSDK's, which re-sends only to S3's hosts (a new bucket's 307 to its region).
            config.HttpClientFactory = new S3RedirectRefusal();
            config.ServiceURL = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
            config.AuthenticationRegion = s3.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region ?? "us-east-1");
        }

        AWSCredentials credentials = s3.AccessKeyId is { Length: > 0 } key
            ? new BasicAWSCredentials(key, s3.SecretAccessKey ?? string.Empty)
            : new AnonymousAWSCredentials();
        return new AmazonS3Client(credentials, config);
    }

    private async Task<List<(S3Object Object, string Path)>> ListAsync(AmazonS3Client client, S3Source s3, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(target) + "/";
        var free = FreeSpace.Under(root);
        long total = 0;
        var objects = new List<(S3Object, string)>();
        var folder = FolderOf(s3.Prefix);
        var request = new ListObjectsV2Request { BucketName = s3.Bucket, Prefix = folder.Length == 0 ? null : folder };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            progress.Touch();
            foreach (var item in response.S3Objects ?? [])
            {
                var relative = item.Key[folder.Length..].TrimStart('/');
                if (relative.Length == 0 || item.Key.EndsWith('/'))
                {
                    continue; // the prefix itself, or a "folder" marker
                }

                var path = Path.GetFullPath(Path.Combine(root, relative));
                if (!path.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new IntegrationFetchException($"{s3}: object key '{item.Key}' would land outside the volume", permanent: true);
                }

                var size = item.Size ?? 0;
                if (size < 0)
                {
                    throw new IntegrationFetchException($"{s3}: object key '{item.Key}' is listed with a negative size ({size})", permanent: true);
                }

                total += Math.Min(size, long.MaxValue - total);
                if (total > free)
                {
                    throw new IntegrationFetchException(
                        $"{s3}: the node's disk is full for it: the objects under s3://{s3.Bucket}/{folder} take more than the {free} bytes the node's disk has free (listed so far: {objects.Count + 1} objects, {total} bytes); nothing was downloaded", permanent: false);
                }

                if (objects.Count == maxObjects)
                {
                    throw new IntegrationFetchException($"{s3}: more than {maxObjects} objects under s3://{s3.Bucket}/{folder}; a volume holds at most {maxObjects}", permanent: true);
                }

                objects.Add((item, path));
                progress.AddTotal(size, 1);
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        if (objects.Count == 0)
        {
            // Most likely a typo in the bucket's folder: an empty read-only volume would only fail later, in the app.
            throw new IntegrationFetchException($"{s3}: no objects under s3://{s3.Bucket}/{folder}; check the url's prefix (it names a folder: s3://BUCKET/FOLDER/)", permanent: true);
        }

        return objects;
    }

    /// <summary>
    /// The url's prefix as a folder, as <c>aws s3 sync</c> and <c>cp --recursive</c> read it: <c>models</c> lists
    /// <c>models/</c>, so <c>models-old/x</c> is not fetched (it would land as <c>-old/x</c>).
    /// </summary>
    internal static string FolderOf(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    private static async Task DownloadPartAsync(AmazonS3Client client, S3Source s3, S3Object item, string path, long offset, long length, FetchProgress progress, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = s3.Bucket, Key = item.Key };
        if (offset != 0 || length != (item.Size ?? 0))
        {
            request.ByteRange = new ByteRange(offset, offset + length - 1);
        }

        using var response = await client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Write);
        var buffer = new byte[Math.Min(length, 256 * 1024)];
        var position = offset;
        var end = offset + length;
        var stream = response.ResponseStream;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // The part's range, not what the server sends: a body longer than listed would write past the part, the file, the disk.
            if (read > end - position)
            {
                throw new IntegrationFetchException($"{s3}: object '{item.Key}' sent more than the {length} bytes asked for at offset {offset}", permanent: true);
            }

            await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), position, cancellationToken).ConfigureAwait(false);
            position += read;
            progress.AddBytes(read);
        }

        if (position != offset + length)
        {
            throw new IntegrationFetchException($"{s3}: object '{item.Key}' ended early ({position - offset} of {length} bytes)");
        }
    }

    private static IntegrationFetchException Translate(S3Source s3, AmazonS3Exception ex) => ex switch
    {
        { ErrorCode: "NoSuchBucket" } => new($"{s3}: bucket '{s3.Bucket}' does not exist", permanent: true, ex),
        { StatusCode: HttpStatusCode.Forbidden } or { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" } =>
            new($"{s3}: access denied ({(int)ex.StatusCode} {ex.ErrorCode}): {s3.CredentialsHint()}", permanent: true, ex),
        { StatusCode: HttpStatusCode.NotFound } => new($"{s3}: not found ({ex.ErrorCode}: {ex.Message})", permanent: true, ex),
        _ => new($"{s3}: {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}", permanent: false, ex),
    };
}
