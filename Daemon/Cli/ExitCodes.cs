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

    /// <summary><c>--wait --timeout D</c> passed before the rollout ended (like timeout(1)).</summary>
    public const int Timeout = 124;

    /// <summary>Ctrl-C stopped <c>--wait</c> following a rollout (the rollout goes on).</summary>
    public const int Interrupted = 130;
}
