using GradientNode.Core.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// One line per failed forward, in place of YARP's own warning (whose category is filtered to Error in
/// <c>ProxyServer</c>): YARP wrote each failure with its full stack trace, about 10 KB, so that any network client could
/// fill the journal by sending a malformed body. A failure the client caused (it went away, sent a bad chunked body,
/// cancelled) is the client's business: Debug. One on the replica's side (no connection, a reset, a timeout) is the
/// operator's: a Warning naming the deployment, the replica and the innermost reason, without a stack.
/// </summary>
internal static partial class ForwardingErrorLog
{
    /// <summary>Logs the forward's error, if it had one: a replica-side one at most once a minute per deployment with <paramref name="repeats"/>.</summary>
    public static void Write(ILogger logger, HttpContext context, string deployment, string? destination, RepeatedFailureLog? repeats = null)
    {
        // NoAvailableDestinations: every replica is out of rotation after a failed connect, which ConnectFailures logged
        // once (3025); a line per request would flood the journal for as long as the replicas are gone.
        if (context.Features.Get<IForwarderErrorFeature>() is not { } failure || failure.Error is ForwarderError.None or ForwarderError.NoAvailableDestinations)
        {
            return;
        }

        var reason = Innermost(failure.Exception);
        if (IsClientSide(failure.Error))
        {
            LogClientSide(logger, deployment, failure.Error, reason);
        }
        else
        {
            var more = string.Empty;
            if (repeats?.ShouldLog(deployment, ProxyLogEvents.ForwardFailedAtReplica, out more) ?? true)
            {
                LogReplicaSide(logger, deployment, failure.Error, destination ?? "no replica", reason, more);
            }
        }
    }

    /// <summary>The client went away, cancelled, or sent what Kestrel refused (a bad chunked body).</summary>
    public static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
        or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
        or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseCanceled
        or ForwarderError.UpgradeResponseClient;

    /// <summary>The most characters of a failure's reason a log line keeps.</summary>
    public const int MaxReason = 300;

    /// <summary>
    /// The innermost exception's message on one line (an aggregate's first); "" for none. It may quote the replica (an
    /// invalid status line): control characters become <c>?</c> and it is cut at <see cref="MaxReason"/> characters.
    /// </summary>
    public static string Innermost(Exception? exception)
    {
        while (exception is not null)
        {
            var inner = exception is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
            if (inner is null)
            {
                break;
            }

            exception = inner;
        }

        return exception is null ? string.Empty : ReplicaText.Printable(exception.Message.ReplaceLineEndings(" "), MaxReason);
    }

    [LoggerMessage(EventId = ProxyLogEvents.ForwardFailedAtReplica, Level = LogLevel.Warning,
        Message = "Deployment '{Deployment}': forwarding to {Destination} failed ({Error}): {Reason}{Repeats}")]
    private static partial void LogReplicaSide(ILogger logger, string deployment, ForwarderError error, string destination, string reason, string repeats);

    [LoggerMessage(EventId = ProxyLogEvents.ForwardEndedByClient, Level = LogLevel.Debug,
        Message = "Deployment '{Deployment}': the client ended the request ({Error}): {Reason}")]
    private static partial void LogClientSide(ILogger logger, string deployment, ForwarderError error, string reason);
}
