using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>Names are single path segments, mount paths absolute and not nested in one another.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class IntegrationsReaderTests
{
    [Test]
    public void Read_NameWithSlash_ValidationError()
    {
        var errors = Errors("  - type: volume\n    name: a/b");

        Assert.That(errors, Has.One.Contains("integrations[0].name: 'a/b' must be a single path segment"));
    }

    [Test]
    public void Read_NestedMountPaths_ValidationErrorNamingTheOther()
    {
        var errors = Errors("  - type: git-lfs\n    name: m\n    url: https://example.invalid/m\n    path: /models\n  - type: git-lfs\n    name: x\n    url: https://example.invalid/x\n    path: /models/m");

        Assert.That(errors, Has.One.Contains("integrations[1].path: mount path '/models/m/x' overlaps '/models/m' of integrations[0]"));
    }

    [Test]
    public void Read_RelativePath_ValidationError()
    {
        Assert.That(Errors("  - type: git-lfs\n    name: m\n    url: https://example.invalid/m\n    path: models"), Has.One.Contains("must be an absolute path"));
    }

    [Test]
    public void Read_LegacyRepositoryNameDotDot_ValidationError()
    {
        var result = SpecParser.Parse("/specs/legacy.yaml", """
            image: web:1
            port: 8080
            resources:
              instanceType: C4
            repositories:
              dataset: code
              repositories:
                - name: ..
                  url: https://example.invalid/one.git
            """);

        Assert.That(result.Errors.Select(e => e.ToString()), Has.One.Contains("'..' must be a single path segment"));
    }

    private static IEnumerable<string> Errors(string integrations) => SpecParser.Parse("/specs/app.yaml", $"""
        apiVersion: v1
        name: app
        image: web:1
        resources:
          machineType: C4
          ports: [8080]
        integrations:
        {integrations}
        """).Errors.Select(e => e.ToString());
}
