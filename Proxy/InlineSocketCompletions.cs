namespace GradientNode.Proxy;

/// <summary>
/// Whether the runtime's socket engine runs socket continuations on its own threads
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, read once per process by the runtime; the proxy's systemd unit
/// sets it). Kestrel's transport then runs inline too (<see cref="ProxyOptions.InlineScheduling"/>): the two were measured
/// to pay only together (docs/benchmarks.md, "Over TLS, round 9").
/// </summary>
internal static class InlineSocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>On exactly as the runtime reads the variable: the value <c>1</c> and nothing else.</summary>
    public static bool IsOn(string? value) => value == "1";

    /// <summary>The setting of this process.</summary>
    public static bool Enabled { get; } = IsOn(Environment.GetEnvironmentVariable(Variable));
}
