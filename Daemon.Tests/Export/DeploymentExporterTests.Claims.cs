using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>Fetched sources kept in a claim (<c>--pvc</c>): one folder per source, a new one when the source changes.</summary>
internal sealed partial class DeploymentExporterTests
{
    [TestCase("specs/valid/seed-000-v1-full/spec.yaml")]
    [TestCase("specs/valid/seed-001-legacy-repositories/spec.yaml")]
    public void Export_FetchIntoAClaim_KeptPerSourceAndMountedFromItsFolder(string file)
    {
        var withClaims = DeploymentExporter.Export(Parse(file), "spec.yaml", Options with { PersistentVolumes = true });
        var again = ManifestWriter.Stream(DeploymentExporter.Export(Parse(file), "spec.yaml", Options with { PersistentVolumes = true }).Documents);
        var withoutClaims = ManifestWriter.Stream(DeploymentExporter.Export(Parse(file), "spec.yaml", Options).Documents);

        var yaml = ManifestWriter.Stream(withClaims.Documents);
        var fetches = System.Text.RegularExpressions.Regex.Matches(yaml, "- name: KEPT\n +value: /claim/(src-[0-9a-f]{16})\n").Select(m => m.Groups[1].Value).ToList();
        Assert.That(fetches, Is.Not.Empty.And.Unique, "one kept folder per source");
        Assert.That(fetches, Has.All.Matches<string>(key => yaml.Contains($"subPath: {key}\n", StringComparison.Ordinal)), "the app mounts each source's folder");
        Assert.That(yaml, Does.Contain("fieldPath: metadata.name").And.Contain("value: /claim/.partial-src-").And.Contain("mountPath: /claim\n"));
        Assert.That(yaml, Does.Contain("fetched by an earlier pod, kept"));
        Assert.That(withClaims.Warnings, Has.None.Contains("--pvc"));
        Assert.That(again, Is.EqualTo(yaml), "the same folders in every export");
        Assert.That(withoutClaims, Does.Not.Contain("subPath").And.Not.Contain("/claim"));
    }

    [Test]
    public void Export_SourceChangedBetweenVersions_ANewFolderInTheClaim()
    {
        static string KeyOf(string url)
        {
            var parsed = SpecParser.Parse("spec.yaml", $"name: app\nimage: nginx:1.27\nresources: {{machineType: C4, ports: [8080]}}\nintegrations:\n  - {{name: weights, type: git-lfs, url: {url}, path: /data}}\n");
            Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));
            var yaml = ManifestWriter.Stream(DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options with { PersistentVolumes = true }).Documents);
            return System.Text.RegularExpressions.Regex.Match(yaml, "subPath: (src-[0-9a-f]{16})").Groups[1].Value;
        }

        Assert.That(KeyOf("https://example.com/a.git"), Is.Not.Empty.And.Not.EqualTo(KeyOf("https://example.com/b.git")));
        Assert.That(KeyOf("https://example.com/a.git"), Is.EqualTo(KeyOf("https://example.com/a.git")));
    }
}
