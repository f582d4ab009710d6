using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>Errors under a key one edit from a known one show in the same pass as the misspelling, marked as under it.</summary>
internal sealed partial class WorkflowParserTests
{
    [Test]
    public void Parse_ErrorsUnderAMisspeltParentAndItsMisspeltChild_AllInOnePassMarkedWithTheInnermostKey()
    {
        const string yaml = """
            defualts:
              evn:
                TOKEN: [a]
              resources:
                instance-type: C4
                colour: red
            jobs:
              a:
                uses: container@v1
                wiht:
                  image: ""
            """;

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "w.yaml:1:1: unknown field 'defualts'; did you mean 'defaults'?",
            "w.yaml:2:3: unknown field 'evn' in defaults; did you mean 'env'? (under 'defualts', checked as 'defaults')",
            "w.yaml:3:12: defaults.env.TOKEN: expected a string, got a list (under 'evn', checked as 'env')",
            "w.yaml:6:5: unknown field 'colour' in defaults.resources (under 'defualts', checked as 'defaults')",
            "w.yaml:10:5: unknown field 'wiht' in jobs.a; did you mean 'with'?",
            "w.yaml:11:7: jobs.a.with: missing required field 'image' (under 'wiht', checked as 'with')",
        }), string.Join("\n", errors));
    }

    [Test]
    public void Parse_UnknownKeyTwoEditsAwayOrTheMeantKeyAlsoWritten_NoRecheck()
    {
        const string yaml = """
            defolts:
              evn: {A: [x]}
            jobs:
              a:
                uses: container@v1
                with: {image: x}
                wiht: {image: [y]}
            """;

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Count.EqualTo(2).And.All.Not.Contains("(under"), string.Join("\n", errors));
    }
    [Test]
    public void Parse_S3DownloadWithADeploymentIntegrationsCamelCaseKeys_NamesTheKebabCaseKeysAndChecksTheirValues()
    {
        const string yaml = """
            jobs:
              get-weights:
                uses: s3-download@v1
                with:
                  url: s3://models/sentiment
                  accessKeyId: AKIA
                  secretAccessKey: plain-text
                outputs:
                  weights: {type: dataset, with: {ref: weights}}
            """;

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "w.yaml:6:7: unknown field 'accessKeyId' in jobs.get-weights.with; did you mean 'access-key'?",
            "w.yaml:7:7: unknown field 'secretAccessKey' in jobs.get-weights.with; did you mean 'secret-access-key'?",
            "w.yaml:7:24: jobs.get-weights.with.secret-access-key: must be a secret reference like secret:NAME; plaintext secrets are not accepted (store the value with gradient-node secrets set NAME, value on stdin, and write secret:NAME here) (under 'secretAccessKey', checked as 'secret-access-key')",
        }), string.Join("\n", errors));
    }
    [Test]
    public void Parse_ContainerImageTheEngineCannotParse_ErrorAtTheImageAsInADeploymentSpec()
    {
        const string yaml = "jobs:\n  a:\n    uses: container@v1\n    with:\n      image: gradient-test/bash:1:latest\n      args: [ls]\n";

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.One.StartsWith("w.yaml:5:14: jobs.a.with.image: not a valid image reference: bad repository 'gradient-test/bash:1'"));
    }
}
