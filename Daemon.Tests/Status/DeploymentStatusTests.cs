using System.Text.Json;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentStatusTests
{
    [Test]
    public void Serialize_WithReplicas_KeepsTheWireNameInstances()
    {
        var status = new DeploymentStatus
        {
            Name = "hello",
            Slug = "hello",
            State = DeploymentState.Ready,
            Replicas = [new ReplicaStatus { Id = "hello-0", Index = 0, Container = "c", ContainerId = "id", State = "running", Ready = true, SpecHash = "h" }],
        };

        var json = JsonSerializer.Serialize(status, StatusJsonContext.Default.DeploymentStatus);
        var back = JsonSerializer.Deserialize(json, StatusJsonContext.Default.DeploymentStatus)!;

        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("instances").GetArrayLength(), Is.EqualTo(1));
        Assert.That(document.RootElement.TryGetProperty("replicas", out _), Is.False);
        Assert.That(back.Replicas.Single().Id, Is.EqualTo("hello-0"));
    }
}
