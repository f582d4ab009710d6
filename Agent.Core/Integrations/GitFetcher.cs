using System.Diagnostics;
using System.Text;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Clones with the <c>git</c> and <c>git-lfs</c> CLIs (LibGit2Sharp cannot do LFS). Credentials reach git only through
/// a credential helper that reads two environment variables of the git process: never the URL, the arguments or a log.
/// </summary>
public sealed class GitFetcher : IIntegrationFetcher
{
    private const string UserVariable = "GN_GIT_USERNAME";
    private const string PasswordVariable = "GN_GIT_PASSWORD";

    // The helper's text is in argv, the values are not: it echoes the variables only for "get".
    private const string Helper = "!f() { test \"$1\" = get || exit 0; echo username=\"$" + UserVariable + "\"; echo password=\"$" + PasswordVariable + "\"; }; f";

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

    private static async Task CloneAsync(GitSource git, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
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
            "-c", "filter.lfs.process=git-lfs filter-process --skip", "-c", "filter.lfs.required=true", "-c", "lfs.concurrenttransfers=8"])
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
        start.Environment[UserVariable] = git.Username ?? (git.Password is null ? string.Empty : "gradient");
        start.Environment[PasswordVariable] = git.Password ?? string.Empty;

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
