using System.IO.Pipelines;

namespace GradientNode.Proxy.Connections;

/// <summary>A connection's transport with its input replaced (<see cref="FirstRequestWait"/>).</summary>
internal sealed class ConnectionPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
