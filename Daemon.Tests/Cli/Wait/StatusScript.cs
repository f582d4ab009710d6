using GradientNode.Core.Status;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>Status snapshots of a deployment named hello for the progress tests.</summary>
internal static class StatusScript
{
    public const string OldHash = "aaaaaaaaaaaa";
    public const string NewHash = "bbbbbbbbbbbb";
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public static DeploymentStatus Snapshot(DeploymentState state, string message, string hash = NewHash, int desired = 1, params ReplicaStatus[] replicas) => new()
    {
        Name = "hello",
        Slug = "hello",
        State = state,
        Message = message,
        DesiredReplicas = desired,
        ReadyReplicas = replicas.Count(r => r.Ready && r.Current),
        Endpoint = "http://hello.localhost:8080/",
        SpecHash = hash,
        Replicas = replicas,
        ObservedAt = Start,
    };

    public static ReplicaStatus Replica(int index, string state, bool ready, string hash = NewHash, int? exit = null, string? message = null) => new()
    {
        Id = $"hello-{index}",
        Index = index,
        Container = $"gradient-hello-{index}-abc123",
        ContainerId = $"c{index}",
        State = state,
        Ready = ready,
        SpecHash = hash,
        Current = hash == NewHash,
        LastExitCode = exit,
        StateMessage = message,
    };

    public static PullStatus Pull(long done, long total, int layersDone, int layers) =>
        new() { Image = "localhost:5000/web:2", BytesDone = done, BytesTotal = total, LayersDone = layersDone, LayersTotal = layers, StartedAt = Start };
}
