using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>Specs with integrations for the unit tests of this folder.</summary>
internal static class IntegrationTestSpecs
{
    /// <summary>The lines a legacy (pre-v1) spec starts with, before its <c>repositories</c> or <c>models</c>.</summary>
    public const string LegacyHead = """
        image: web:1
        port: 8080
        resources:
          instanceType: C4

        """;

    public static DeploymentSpec Parse(string yaml, string file = "/specs/app.yaml")
    {
        var result = SpecParser.Parse(file, yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Spec!;
    }

    /// <summary>A legacy spec: <see cref="LegacyHead"/>, then <paramref name="rest"/> (top-level keys).</summary>
    public static DeploymentSpec Legacy(string rest) => Parse(LegacyHead + rest);

    public static DeploymentSpec V1(string integrations, int replicas = 1) => Parse($"""
        apiVersion: v1
        name: app
        image: web:1
        resources:
          machineType: C4
          ports: [8080]
          replicas: {replicas}
        integrations:
        {integrations}
        """);

    public static string S3(string name = "data", string path = "/opt/data", string key = "AKID") => $"""
          - type: s3
            name: {name}
            url: s3://bucket/prefix/
            endpoint: http://127.0.0.1:9000
            accessKeyId: {key}
            secretAccessKey: secret:s3key
            path: {path}
        """;

    /// <summary>A git-lfs integration named llama, with the credential fields that are given.</summary>
    public static string GitLfs(string? accessKeyId = null, string? secretAccessKey = null) =>
        "  - type: git-lfs\n    name: llama\n    url: https://huggingface.co/meta-llama/Llama-2-7b\n"
        + (accessKeyId is null ? "" : $"    accessKeyId: {accessKeyId}\n")
        + (secretAccessKey is null ? "" : $"    secretAccessKey: {secretAccessKey}\n");
}
