namespace GradientNode.Core.Integrations;

/// <summary>
/// Clones git repositories with their LFS objects, in-process: the git port (<see cref="IGitClient"/>, LibGit2Sharp) clones
/// and checks out, then <see cref="LfsObjectFetcher"/> replaces every LFS pointer with its object, read from a local
/// remote's <c>lfs/objects</c> folder or fetched through the LFS batch API. No <c>git</c> or <c>git-lfs</c> program runs.
/// Credentials reach only the repository's own origin (scheme, host, port): never another host a redirect or an LFS
/// <c>href</c> names, never the URL written into the clone's <c>.git/config</c>, never a message. Local remotes must pass
/// the <see cref="GitRemotePolicy"/>; a ref that looks like an option is refused before anything runs. What a clone
/// receives and the LFS objects it declares must fit the disk's free space (<see cref="GitFetchLimits"/>); a clone
/// stopped there leaves no files behind.
/// </summary>
public sealed class GitFetcher : IIntegrationFetcher
{
    private static readonly Lazy<HttpMessageInvoker> SharedHttp = new(() => new HttpMessageInvoker(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = true,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    }));

    private readonly GitRemotePolicy _remotes;
    private readonly IGitClient _git;
    private readonly HttpMessageInvoker? _http;
    private readonly LfsObjectFetcher _lfs;
    private readonly GitFetchLimits _limits;

    public GitFetcher()
        : this(GitRemotePolicy.NoLocalRemotes)
    {
    }

    public GitFetcher(GitRemotePolicy remotes)
        : this(remotes, GitFetchLimits.Default)
    {
    }

    public GitFetcher(GitRemotePolicy remotes, GitFetchLimits limits)
        : this(remotes, new LibGit2Client(TimeProvider.System), null, limits: limits)
    {
    }

    internal GitFetcher(GitRemotePolicy remotes, IGitClient git, HttpMessageInvoker? http, int lfsParallelism = 4, GitFetchLimits? limits = null)
    {
        _remotes = remotes;
        _git = git;
        _http = http;
        _limits = limits ?? GitFetchLimits.Default;
        _lfs = new LfsObjectFetcher(lfsParallelism, _limits.FreeSpace);
    }

    public bool Handles(VolumeSource source) => source is GitSource or RepositorySetSource;

    public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        switch (source)
        {
            case GitSource git:
                await CloneAsync(git, target, progress, cancellationToken).ConfigureAwait(false);
                CountCheckedOut(target, progress);
                break;
            case RepositorySetSource set:
                foreach (var (name, git) in set.Repositories)
                {
                    await CloneAsync(git, Path.Combine(target, name), progress, cancellationToken).ConfigureAwait(false);
                }

                CountCheckedOut(target, progress);
                break;
            default:
                throw new ArgumentException($"not a git source: {source}", nameof(source));
        }
    }

    /// <summary>
    /// The files a replica sees (the checkout, <c>.git/</c> left out), counted once the clone is done: status shows them as
    /// the volume's files. Before (newuser16), one "file" per repository was counted, so a model repository of three files
    /// read <c>1 MiB, 1 file</c> in <c>get</c>. Links are counted, never followed.
    /// </summary>
    private static void CountCheckedOut(string root, FetchProgress progress)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        long files = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", options))
            {
                if (entry is DirectoryInfo sub && entry.LinkTarget is null)
                {
                    if (sub.Name != ".git")
                    {
                        pending.Push(sub);
                    }
                }
                else
                {
                    files++;
                }
            }
        }

        progress.AddTotal(0, files);
        progress.AddFiles(files);
    }

    private async Task CloneAsync(GitSource git, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        if (_remotes.Check(git.Url) is { } refused)
        {
            throw new IntegrationFetchException(refused, permanent: true);
        }

        // Nothing parses a ref as an option any more, but a ref that looks like one is still a mistake or an attack.
        if (git.Ref is { } unsafeRef && (unsafeRef.StartsWith('-') || unsafeRef.Any(char.IsControl)))
        {
            throw new IntegrationFetchException($"repository ref '{new string([.. unsafeRef.Where(c => !char.IsControl(c))])}' starts with '-' or holds control characters: a ref may not look like a git option", permanent: true);
        }

        git = WithoutUserInfo(git);
        try
        {
            await _git.CloneAsync(git, target, new GitCloneLimit(_limits.FreeSpace(target)), progress, cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationFetchException)
        {
            // The clone has ended (a cancelled one may still be writing, so only here): a partial pack is no version.
            RemovePartialClone(target);
            throw;
        }

        await _lfs.FetchAsync(target, GitSource.Redacted(git.Url), () => StoreFor(git), progress, cancellationToken).ConfigureAwait(false);
    }

    private static void RemovePartialClone(string target)
    {
        try
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The volume's staging folder is removed by the materializer, or by the next gc pass.
        }
    }

    private ILfsObjectStore StoreFor(GitSource git)
    {
        if (GitRemotePolicy.LocalPath(git.Url) is { } local)
        {
            return new LocalLfsStore(local, _remotes);
        }

        var endpoint = LfsBatchClient.EndpointOf(git.Url)
            ?? throw new IntegrationFetchException($"repository {GitSource.Redacted(git.Url)} has LFS objects, which the node fetches over http(s) or from a local remote only", permanent: true);
        return new LfsBatchClient(_http ?? SharedHttp.Value, new GitCredentials(git), endpoint);
    }

    /// <summary>
    /// A URL with <c>user:password@</c> written into it would end up in the clone's <c>.git/config</c> (mounted into
    /// replicas) and in messages: the user info moves to the credentials instead.
    /// </summary>
    internal static GitSource WithoutUserInfo(GitSource git)
    {
        if (!Uri.TryCreate(git.Url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return git;
        }

        var at = git.Url.IndexOf(uri.UserInfo + "@", StringComparison.Ordinal);
        if (at < 0)
        {
            return git;
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        return git with
        {
            Url = git.Url.Remove(at, uri.UserInfo.Length + 1),
            Username = git.Username ?? user,
            Password = git.Password ?? password,
        };
    }
}
