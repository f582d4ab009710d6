namespace GradientNode.Core.Specs.Parsing;

/// <summary>TCP ports are 1–65535.</summary>
internal static class PortRule
{
    public static string? Check(int port) => port is >= 1 and <= 65535 ? null : $"{port} is not a valid port (1-65535)";
}
