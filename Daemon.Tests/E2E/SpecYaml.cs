using GradientNode.Tests.Infrastructure;

namespace GradientNode.Tests.E2E;

/// <summary>Spec texts the end-to-end tests drop into a node's specs dir.</summary>
internal static class SpecYaml
{
    public static string V1(string name, int replicas = 2, string image = TestEnvironment.WebImage, string extra = "", string top = "") => $"""
        apiVersion: v1
        name: {name}
        image: {image}
        {top}
        resources:
          machineType: C4
          ports: [8080]
          replicas: {replicas}
        {extra}
        """;

    /// <summary>A legacy (v0alpha0-shaped) spec: no apiVersion, no name, <c>port</c> and <c>resources.instanceType</c>.</summary>
    public static string Legacy(int replicas = 1) => $"""
        image: {TestEnvironment.WebImage}
        port: 8080
        env:
          - name: GREETING
            value: hi
        resources:
          replicas: {replicas}
          instanceType: C4
        """;
}
