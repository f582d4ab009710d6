namespace GradientNode.Core.Engine;

/// <summary>A network as the engine describes it.</summary>
public sealed record NetworkDetails(
    string Id,
    string Name,
    string Driver,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The <c>bridge</c> driver's option naming the host interface.</summary>
    public const string BridgeNameOption = "com.docker.network.bridge.name";

    /// <summary>The <c>bridge</c> driver's option that lets containers of the network reach each other (default true).</summary>
    public const string InterContainerOption = "com.docker.network.bridge.enable_icc";

    /// <summary>
    /// The host interface of a <c>bridge</c> network: the name its options give, else the engine's own
    /// <c>br-</c> and the first 12 characters of the id. Null for another driver.
    /// </summary>
    public string? BridgeInterface =>
        Driver != "bridge" ? null
        : Options.TryGetValue(BridgeNameOption, out var name) && name.Length > 0 ? name
        : "br-" + Id[..Math.Min(12, Id.Length)];

    /// <summary>True when containers of the network cannot reach each other (the bridge's <c>enable_icc</c> is false).</summary>
    public bool InterContainerBlocked =>
        Options.TryGetValue(InterContainerOption, out var icc) && string.Equals(icc, "false", StringComparison.OrdinalIgnoreCase);
}
