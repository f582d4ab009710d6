using GradientNode.Core.Common;
using Microsoft.Extensions.Logging;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Logs an API request that failed on a file the daemon could not write or read (a full or read-only state directory):
/// one warning line per distinct problem a minute, without a stack trace. Before, each such request was logged as an
/// unhandled exception with its stack trace, so a socket-group member calling in a loop on a full disk filled the log
/// that the disk also holds. The problem is told by its words without the file's own name (<see cref="Core.Common.FileProblem"/>:
/// the reason and the folder), so a temp file named anew at each try is one problem.
/// </summary>
internal sealed partial class ApiFileProblems(ILogger<ApiFileProblems> logger, TimeProvider time)
{
    /// <summary>How often one problem is logged again while it lasts.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    /// <summary>The most distinct problems remembered; past it the oldest are forgotten (and may be logged again).</summary>
    private const int Remembered = 64;

    private readonly ProblemLog _problems = new(time, Every, Remembered);

    /// <summary>Logs <paramref name="problem"/> unless it was logged less than <see cref="Every"/> ago; true when logged.</summary>
    public bool Report(string method, string path, string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!_problems.Report(problem))
        {
            return false;
        }

        LogFileProblem(method, path.Length > 200 ? path[..200] + "…" : path, problem);
        return true;
    }

    [LoggerMessage(EventId = 4070, Level = LogLevel.Warning, Message = "API {Method} {Path} failed: {Problem} (the same problem is logged once a minute while it lasts)")]
    private partial void LogFileProblem(string method, string path, string problem);
}
