namespace GradientNode.Daemon.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The request failed: invalid spec, unknown deployment, daemon error.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The daemon's socket does not answer.</summary>
    public const int Unreachable = 3;
}
