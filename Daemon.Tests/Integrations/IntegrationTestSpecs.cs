using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>Specs with integrations for the unit tests of this folder.</summary>
internal static class IntegrationTestSpecs
{
    public static DeploymentSpec Parse(string yaml, string file = "/specs/app.yaml")
    {
        var result = SpecParser.Parse(file, yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Spec!;
    }

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
}
