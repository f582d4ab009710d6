using GradientNode.Core.Export;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

[TestFixture]
[Category("Unit")]
internal sealed class ExportOptionChecksTests
{
    [Test]
    public void Problems_Defaults_None()
    {
        Assert.That(ExportOptionChecks.Problems(new ExportOptions()), Is.Empty);
    }

    [Test]
    public void Problems_UsableValues_None()
    {
        var options = new ExportOptions
        {
            Namespace = "ml-team",
            Domain = "apps.example.org",
            GitImage = "registry.example.org:5000/tools/git:2.45@sha256:" + new string('a', 64),
            S3Image = "amazon/aws-cli",
            VolumeSize = "1.5Ti",
            StorageClass = "fast.ssd-1",
            NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-80GB", ["zone"] = string.Empty },
        };

        Assert.That(ExportOptionChecks.Problems(options), Is.Empty);
    }

    [TestCase("--git-image", "Alpine/Git:2")]
    [TestCase("--s3-image", "aws cli")]
    [TestCase("--pvc-size", "10 GB")]
    [TestCase("--pvc-size", "10GB")]
    [TestCase("--pvc-size", "-1Gi")]
    [TestCase("--pvc-size", "0")]
    [TestCase("--storage-class", "Fast_SSD")]
    [TestCase("--namespace", "ML")]
    [TestCase("--ingress-namespace", "ingress_nginx")]
    [TestCase("--domain", "apps..example.org")]
    [TestCase("--service-account", "Argo_Workflow")]
    public void Problems_BadValue_NamesTheFlagAndTheValue(string flag, string value)
    {
        var options = flag switch
        {
            "--git-image" => new ExportOptions { GitImage = value },
            "--s3-image" => new ExportOptions { S3Image = value },
            "--pvc-size" => new ExportOptions { VolumeSize = value },
            "--storage-class" => new ExportOptions { StorageClass = value },
            "--namespace" => new ExportOptions { Namespace = value },
            "--ingress-namespace" => new ExportOptions { IngressNamespace = value },
            "--service-account" => new ExportOptions { ServiceAccount = value },
            _ => new ExportOptions { Domain = value },
        };

        var problems = ExportOptionChecks.Problems(options);

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith($"{flag}: '{value}' "));
    }

    [TestCase("a b", "c")]
    [TestCase("zone", "us east")]
    [TestCase("-zone", "a")]
    [TestCase("Bad_Prefix/zone", "a")]
    [TestCase("", "a")]
    public void Problems_NodeSelectorNotALabel_NamesTheFlagAndThePair(string key, string value)
    {
        var problems = ExportOptionChecks.Problems(new ExportOptions { NodeSelector = new Dictionary<string, string> { [key] = value } });

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith($"--node-selector: '{key}={value}' "));
    }
}
