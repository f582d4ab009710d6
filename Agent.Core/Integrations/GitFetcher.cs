using System.Diagnostics;
using System.Text;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Clones with the <c>git</c> and <c>git-lfs</c> CLIs (LibGit2Sharp cannot do LFS). Credentials reach git only through
/// a credential helper that reads environment variables of the git process: never the URL, the arguments or a log; and
/// the helper answers only for the repository's own protocol and host (an <c>.lfsconfig</c> or a redirect elsewhere gets
/// nothing). No value from a spec is ever read as an option: the URL follows <c>--</c>, and a ref is checked out only when
/// it does not start with <c>-</c> (git 2.39's checkout mis-parses <c>--end-of-options</c>); local remotes must pass the
/// <see cref="GitRemotePolicy"/>.
/// </summary>
public sealed class GitFetcher(GitRemotePolicy remotes) : IIntegrationFetcher
{
    private const string UserVariable = "GN_GIT_USERNAME";
    private const string PasswordVariable = "GN_GIT_PASSWORD";
    private const string HostVariable = "GN_GIT_HOST";
    private const string ProtocolVariable = "GN_GIT_PROTOCOL";

    // The helper's text is in argv, the values are not: for "get" it reads git's request on stdin and answers only when
    // both protocol= and host= are the repository's own.
    internal const string Helper = "!f() { test \"$1\" = get && test -n \"$" + HostVariable + "\" || exit 0; h=; p=; "
        + "while IFS= read -r l; do case \"$l\" in \"host=$" + HostVariable + "\") h=1;; \"protocol=$" + ProtocolVariable + "\") p=1;; esac; done; "
        + "test \"$h$p\" = 11 || exit 0; echo username=\"$" + UserVariable + "\"; echo password=\"$" + PasswordVariable + "\"; }; f";

    public GitFetcher()
        : this(GitRemotePolicy.NoLocalRemotes)
    {
    }

    public bool Handles(VolumeSource source) => source is GitSource or RepositorySetSource;

    public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        switch (source)
        {
            case GitSource git:
                progress.AddTotal(0, 1);
                await CloneAsync(git, target, progress, cancellationToken).ConfigureAwait(false);
                progress.AddFiles(1);
                break;
            case RepositorySetSource set:
                progress.AddTotal(0, set.Repositories.Count);
                foreach (var (name, git) in set.Repositories)
                {
                    await CloneAsync(git, Path.Combine(target, name), progress, cancellationToken).ConfigureAwait(false);
                    progress.AddFiles(1);
                }

                break;
            default:
                throw new ArgumentException($"not a git source: {source}", nameof(source));
        }
    }

    private async Task CloneAsync(GitSource git, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        if (remotes.Check(git.Url) is { } refused)
        {
            throw new IntegrationFetchException(refused, permanent: true);
        }

        // git checkout has no working --end-of-options before git 2.43: a ref that starts with '-' would be an option.
        if (git.Ref is { } unsafeRef && (unsafeRef.StartsWith('-') || unsafeRef.Any(char.IsControl)))
        {
            throw new IntegrationFetchException($"repository ref '{new string([.. unsafeRef.Where(c => !char.IsControl(c))])}' starts with '-' or holds control characters: a ref may not look like a git option", permanent: true);
        }

        git = WithoutUserInfo(git);
        // Clone without smudging, then fetch the LFS objects explicitly: the LFS filter need not be installed globally.
        var clone = new List<string> { "clone", "--progress" };
        if (git.Ref is null)
        {
            clone.AddRange(["--depth", "1"]);
        }

        clone.AddRange(["--", git.Url, target]);
        await RunAsync(git, null, clone, progress, cancellationToken).ConfigureAwait(false);
        if (git.Ref is { } reference)
        {
            await RunAsync(git, target, ["checkout", "--quiet", reference, "--"], progress, cancellationToken).ConfigureAwait(false);
        }

        // "git lfs pull" checks objects out only in a repository where LFS is installed (locally, never globally).
        await RunAsync(git, target, ["lfs", "install", "--local", "--skip-smudge"], progress, cancellationToken).ConfigureAwait(false);
        await RunAsync(git, target, ["lfs", "pull"], progress, cancellationToken).ConfigureAwait(false);

        // The working tree holds the LFS content; its second copy under .git/lfs only doubles the disk use.
        var lfsObjects = Path.Combine(target, ".git", "lfs");
        if (Directory.Exists(lfsObjects))
        {
            Directory.Delete(lfsObjects, recursive: true);
        }

        var files = new DirectoryInfo(target).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => !f.FullName.Contains("/.git/", StringComparison.Ordinal)).ToList();
        progress.AddBytes(files.Sum(f => f.Length));
    }

    private static async Task RunAsync(GitSource git, string? workDir, IReadOnlyList<string> args, FetchProgress progress, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        foreach (var arg in (string[])["-c", "credential.helper=", "-c", "credential.helper=" + Helper, "-c", "filter.lfs.smudge=git-lfs smudge --skip -- %f",
            "-c", "filter.lfs.process=git-lfs filter-process --skip", "-c", "filter.lfs.required=true", "-c", "lfs.concurrenttransfers=8", "-c", "protocol.ext.allow=never"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "/bin/false";
        start.Environment["SSH_ASKPASS"] = "/bin/false";
        start.Environment["GIT_LFS_SKIP_SMUDGE"] = "1";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment.Remove("GIT_TRACE");
        start.Environment.Remove("GIT_CURL_VERBOSE");
        foreach (var (name, value) in CredentialEnvironment(git))
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IntegrationFetchException($"the git CLI could not be started ({ex.Message}); install git and git-lfs", permanent: true, ex);
        }

        process.StandardInput.Close();
        var stderr = new StringBuilder();
        var output = Task.WhenAll(Drain(process.StandardOutput, null, progress), Drain(process.StandardError, stderr, progress));
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await output.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw Failure(git, args[0] == "lfs" ? "git lfs pull" : "git " + args[0], stderr.ToString(), process.ExitCode);
        }
    }

    /// <summary>What the credential helper reads: the secret values and the one protocol and host it may answer for.</summary>
    internal static Dictionary<string, string> CredentialEnvironment(GitSource git)
    {
        var (protocol, host) = ProtocolAndHost(git.Url);
        var secret = git.Password is not null && host is not null;
        return new(StringComparer.Ordinal)
        {
            [UserVariable] = secret ? git.Username ?? "gradient" : string.Empty,
            [PasswordVariable] = secret ? git.Password! : string.Empty,
            [ProtocolVariable] = protocol ?? string.Empty,
            [HostVariable] = secret ? host! : string.Empty,
        };
    }

    /// <summary>The protocol and host (with a port when written) git's credential protocol names for an http(s) URL.</summary>
    internal static (string? Protocol, string? Host) ProtocolAndHost(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return (null, null);
        }

        var protocol = url[..schemeEnd].ToLowerInvariant();
        if (protocol is not ("http" or "https"))
        {
            return (null, null);
        }

        var authority = url[(schemeEnd + 3)..];
        authority = authority[..(authority.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : authority.Length)];
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        return authority.Length == 0 ? (null, null) : (protocol, authority);
    }

    /// <summary>
    /// A URL with <c>user:password@</c> written into it would put the password in git's argv (visible to <c>ps</c>):
    /// the user info moves to the credential helper instead.
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

    private static async Task Drain(StreamReader reader, StringBuilder? keep, FetchProgress progress)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            progress.Touch();
            if (keep is not null && keep.Length < 64 * 1024)
            {
                keep.Append(buffer, 0, read);
            }
        }
    }

    private static IntegrationFetchException Failure(GitSource git, string what, string stderr, int exitCode)
    {
        var lines = stderr.Replace('\r', '\n').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Cloning into", StringComparison.Ordinal) && !l.Contains('%', StringComparison.Ordinal))
            .TakeLast(3)
            .ToList();
        var detail = string.Join(" / ", lines);
        if (git.Password is { Length: > 0 } password)
        {
            detail = detail.Replace(password, "***", StringComparison.Ordinal);
        }

        var permanent = detail.Contains("Authentication failed", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("could not read Username", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("does not appear to be a git repository", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("did not match any", StringComparison.OrdinalIgnoreCase);
        var reason = detail.Length == 0 ? $"exit code {exitCode}" : detail;
        return new IntegrationFetchException($"{what} {GitSource.Redacted(git.Url)} failed: {reason}", permanent);
    }
}
