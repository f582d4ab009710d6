namespace GradientNode.Core.Routing;

/// <summary>
/// What <see cref="RouteTableStore.Read"/> found. <see cref="Error"/> describes a corrupt file; it never
/// holds file content (the file may carry secrets).
/// </summary>
public sealed record RouteTableReadResult(RouteTableReadStatus Status, RouteTable Table, string? Error = null);
