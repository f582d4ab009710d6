using System.Globalization;
using Grpc.Core;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// A real gRPC service (hosted by Grpc.AspNetCore in the test process): <c>echo.Echo/Chat</c> answers each message as
/// soon as it arrives, naming the protocol it was reached over, and ends with the number of messages in the trailer
/// <c>echo-count</c>.
/// </summary>
internal sealed class GrpcEchoService : GrpcEchoServiceBase
{
    public override async Task Chat(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        var count = 0;
        var protocol = context.GetHttpContext().Request.Protocol;
        while (await requests.MoveNext(context.CancellationToken))
        {
            count++;
            await responses.WriteAsync($"echo {requests.Current} ({protocol})", context.CancellationToken);
        }

        context.ResponseTrailers.Add("echo-count", count.ToString(CultureInfo.InvariantCulture));
    }
}
