namespace GradientNode.Core.Routing;

/// <summary>One replica: <see cref="Address"/> is <c>ip:port</c> on the container bridge (first app port).</summary>
public sealed record ReplicaRoute(string Id, string Address, bool Ready);
