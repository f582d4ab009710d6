using System.Text;
using Grpc.Core;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// The shape protoc's C# generator emits for <c>service Echo { rpc Chat (stream string) returns (stream string); }</c>,
/// written by hand (strings as UTF-8 instead of protobuf messages): Grpc.AspNetCore binds the handlers it finds as
/// overrides of this type's abstract methods.
/// </summary>
[BindServiceMethod(typeof(GrpcEchoServiceBase), nameof(BindService))]
internal abstract class GrpcEchoServiceBase
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    /// <summary><c>echo.Echo/Chat</c>, bidirectional streaming.</summary>
    public static Method<string, string> ChatMethod { get; } = new(MethodType.DuplexStreaming, "echo.Echo", "Chat", Utf8, Utf8);

    /// <summary>Called by Grpc.AspNetCore (with a null service) to learn the methods.</summary>
    public static void BindService(ServiceBinderBase binder, GrpcEchoServiceBase? service) =>
        binder.AddMethod(ChatMethod, service is null ? null : service.Chat);

    public abstract Task Chat(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context);
}
