namespace GradientNode.Proxy;

/// <summary>Stable log event ids of the proxy role (3000–3099). Never reuse or renumber.</summary>
internal static class ProxyLogEvents
{
    public const int Listening = 3000;
    public const int Stopping = 3001;
    public const int RoutesApplied = 3010;
    public const int RoutesFileCorrupt = 3011;
    public const int RoutesFileMissing = 3012;
    public const int RoutesWatcherFailed = 3013;
    public const int RoutesApplyFailed = 3014;
    public const int RoutesAnswerFailed = 3015;
    public const int ReplicaConnectRetried = 3020;
    public const int ReplicaConnectFailedAll = 3021;
    public const int ForwardFailedAtReplica = 3022;
    public const int ForwardEndedByClient = 3023;
    public const int ForwardUnaskedUpgrade = 3024;
    public const int ReplicaOutOfRotation = 3025;
    public const int ReplicaProbeFailed = 3026;
    public const int StatsWriteFailed = 3030;
    public const int AuthLockout = 3040;
    public const int AuthFailureTableFull = 3041;
    public const int AuthLockoutsNotLogged = 3042;
    public const int ConnectionRefusedPerAddress = 3050;
    public const int RequestRefusedInFlight = 3051;
}
