using LibGit2Sharp;

namespace GradientNode.Core.Integrations;

/// <summary>
/// <see cref="IGitClient"/> over LibGit2Sharp (libgit2 in-process: no <c>git</c> program). A ref is a remote branch, a
/// tag or a commit; checkout is forced and leaves HEAD detached at it. Credentials come from <see cref="GitCredentials"/>
/// (the repository's own origin only); submodules are not cloned. The blocking libgit2 calls run on their own thread;
/// cancellation makes every progress callback answer "stop", and the caller waits a moment for libgit2 to notice. The
/// transfer callback also answers "stop" once the server has sent more bytes than the <see cref="GitCloneLimit"/>.
/// </summary>
internal sealed class LibGit2Client(TimeProvider time) : IGitClient
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task CloneAsync(GitSource git, string target, GitCloneLimit limit, FetchProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var work = Task.Factory.StartNew(() => Clone(git, target, limit, progress, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // libgit2 stops at its next callback; a call blocked on the network may not, and is left behind after the grace.
            await Task.WhenAny(work, Task.Delay(StopGrace, time, CancellationToken.None)).ConfigureAwait(false);
            _ = work.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private static void Clone(GitSource git, string target, GitCloneLimit limit, FetchProgress progress, CancellationToken cancellationToken)
    {
        long received = 0;
        long exceeded = -1; // the bytes received when the limit stopped the transfer
        var options = new CloneOptions { Checkout = git.Ref is null, RecurseSubmodules = false };
        options.OnCheckoutProgress = (_, _, _) => progress.Touch();
        options.FetchOptions.TagFetchMode = TagFetchMode.All;
        options.FetchOptions.CredentialsProvider = new GitCredentials(git).Provider(cancellationToken);
        options.FetchOptions.OnProgress = _ =>
        {
            progress.Touch();
            return !cancellationToken.IsCancellationRequested;
        };
        options.FetchOptions.OnTransferProgress = p =>
        {
            progress.AddBytes(p.ReceivedBytes - Interlocked.Exchange(ref received, p.ReceivedBytes));
            if (p.ReceivedBytes > limit.Bytes)
            {
                Interlocked.CompareExchange(ref exceeded, p.ReceivedBytes, -1);
                return false;
            }

            return !cancellationToken.IsCancellationRequested;
        };

        try
        {
            Repository.Clone(git.Url, target, options);
            if (git.Ref is { } reference)
            {
                using var repository = new Repository(target);
                var commit = Resolve(repository, reference)
                    ?? throw new IntegrationFetchException($"repository {GitSource.Redacted(git.Url)} has no branch, tag or commit '{reference}'", permanent: true);
                cancellationToken.ThrowIfCancellationRequested();
                Commands.Checkout(repository, commit, new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force, OnCheckoutProgress = (_, _, _) => progress.Touch() });
            }
        }
        catch (LibGit2SharpException) when (Interlocked.Read(ref exceeded) >= 0)
        {
            throw limit.Exceeded(GitSource.Redacted(git.Url), Interlocked.Read(ref exceeded));
        }
        catch (UserCancelledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (LibGit2SharpException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (LibGit2SharpException ex)
        {
            throw Failure(git, ex);
        }
    }

    /// <summary>A remote branch first (as <c>git checkout NAME</c> would), then a tag, then a commit id (full or abbreviated).</summary>
    private static Commit? Resolve(Repository repository, string reference)
    {
        foreach (var name in (string[])[$"refs/remotes/origin/{reference}", $"refs/tags/{reference}"])
        {
            if (Reference.IsValidName(name) && repository.Refs[name]?.ResolveToDirectReference()?.Target is { } target)
            {
                return AsCommit(target);
            }
        }

        return reference.Length >= 4 && reference.All(char.IsAsciiHexDigit) ? AsCommit(repository.Lookup(reference)) : null;
    }

    private static Commit? AsCommit(GitObject? target) => target switch
    {
        Commit commit => commit,
        TagAnnotation tag => AsCommit(tag.Target),
        _ => null,
    };

    private static IntegrationFetchException Failure(GitSource git, LibGit2SharpException ex)
    {
        var detail = ex.Message.ReplaceLineEndings(" ").Trim();
        if (git.Password is { Length: > 0 } password)
        {
            detail = detail.Replace(password, "***", StringComparison.Ordinal);
        }

        var authentication = detail.Contains("authentication", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("status code: 401", StringComparison.Ordinal) || detail.Contains("status code: 403", StringComparison.Ordinal);
        var missing = ex is NotFoundException || ex is RepositoryNotFoundException
            || detail.Contains("status code: 404", StringComparison.Ordinal) || detail.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("could not find repository", StringComparison.OrdinalIgnoreCase) || detail.Contains("failed to resolve path", StringComparison.OrdinalIgnoreCase);
        // A 404 or a path that does not resolve is told as such: libgit2's own words ("unexpected http status code: 404")
        // left the user to guess that the url names no repository.
        var hint = authentication ? $" (authentication failed: {git.CredentialsHint()})"
            : missing ? $" (no repository at {GitSource.Redacted(git.Url)}: check the url)" : string.Empty;
        return new IntegrationFetchException($"git clone {GitSource.Redacted(git.Url)} failed: {detail}{hint}", permanent: authentication || missing, ex);
    }
}
