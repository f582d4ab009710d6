using GradientNode.Core.Export;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Tests.Export;

/// <summary>
/// Golden files for the export (testdata/export/&lt;case&gt;/expected.yaml) and a quick structural check of every object
/// (the fields each kind requires). The full check against the published JSON schemas runs every golden file through
/// the npm schema packages: E2E/ExportSchemaTests (./test.sh installs them). GN_UPDATE_GOLDEN=1 rewrites the expected
/// files in the source tree; review the diff, and compare the meaning, not only the text.
/// </summary>
internal static class ExportGolden
{
    private static readonly Dictionary<string, string[]> Required = new(StringComparer.Ordinal)
    {
        ["Deployment"] = ["spec.selector.matchLabels", "spec.template.metadata.labels", "spec.template.spec.containers"],
        ["Service"] = ["spec.ports", "spec.selector"],
        ["Ingress"] = ["spec.rules", "spec.tls"],
        ["NetworkPolicy"] = ["spec.podSelector.matchLabels", "spec.policyTypes", "spec.ingress"],
        ["PersistentVolumeClaim"] = ["spec.accessModes", "spec.resources.requests.storage"],
        ["HorizontalPodAutoscaler"] = ["spec.scaleTargetRef.name", "spec.maxReplicas", "spec.metrics"],
        ["ScaledObject"] = ["spec.scaleTargetRef.name", "spec.triggers"],
        ["Workflow"] = ["metadata.generateName", "spec.entrypoint", "spec.templates"],
        ["WorkflowTemplate"] = ["metadata.name", "spec.entrypoint", "spec.templates"],
    };

    public static string TestData => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata");

    public static void Check(string caseName, ExportResult result)
    {
        var actual = ManifestWriter.Stream(result.Documents);
        var expectedFile = Path.Combine(TestData, "export", caseName, "expected.yaml");
        if (Environment.GetEnvironmentVariable("GN_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "testdata", "export", caseName);
            Directory.CreateDirectory(source);
            File.WriteAllText(Path.Combine(source, "expected.yaml"), actual);
            return;
        }

        Assert.That(File.Exists(expectedFile), Is.True, $"{expectedFile} missing; run with GN_UPDATE_GOLDEN=1 and review it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedFile)), $"{caseName}: the export differs from {expectedFile}");
        AssertStructure(actual);
    }

    /// <summary>Every document has apiVersion, kind, metadata.name (or generateName) and its kind's required fields; containers have name and image.</summary>
    public static void AssertStructure(string stream)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(stream));
        Assert.That(yaml.Documents, Is.Not.Empty);
        foreach (var document in yaml.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var kind = Scalar(root, "kind");
            Assert.That(Scalar(root, "apiVersion"), Is.Not.Null.And.Not.Empty, "apiVersion");
            Assert.That(Required.ContainsKey(kind!), Is.True, $"unexpected kind {kind}");
            Assert.That(Find(root, "metadata.name") ?? Find(root, "metadata.generateName"), Is.Not.Null, $"{kind}: metadata.name");
            foreach (var path in Required[kind!])
            {
                Assert.That(Find(root, path), Is.Not.Null, $"{kind}: {path} is required");
            }

            foreach (var container in Nodes(root).OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey("image")))
            {
                Assert.That(Scalar(container, "image"), Is.Not.Empty, $"{kind}: a container's image");
            }
        }
    }

    private static IEnumerable<YamlNode> Nodes(YamlNode node) => node.AllNodes;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? (value as YamlScalarNode)?.Value : null;

    private static YamlNode? Find(YamlMappingNode root, string path)
    {
        YamlNode? node = root;
        foreach (var part in path.Split('.'))
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(part, out var child) ? child : null;
        }

        return node;
    }
}
