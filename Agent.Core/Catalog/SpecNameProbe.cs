using GradientNode.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Catalog;

/// <summary>Finds which deployment a broken file means: its top-level <c>name</c> if readable, else its file stem.</summary>
public static class SpecNameProbe
{
    /// <summary>The deployment a file means, valid or not: its top-level <c>name</c> when readable and valid, else its file stem.</summary>
    public static string GuessName(string path, string text)
    {
        try
        {
            if (Specs.Parsing.YamlGuard.Check(text) is not null)
            {
                return DeploymentName.FromFile(path);
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count > 0
                && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("name"), out var node)
                && node is YamlScalarNode { Value: { } name }
                && DeploymentName.Validate(name) is null)
            {
                return name.Trim();
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            // Unreadable YAML: fall back to the file stem.
        }

        return DeploymentName.FromFile(path);
    }

    /// <summary>Where the top-level <c>name</c>'s value starts (1-based), or 1:1 when there is none or the YAML cannot be read.</summary>
    public static (int Line, int Column) NamePosition(string text)
    {
        try
        {
            if (Specs.Parsing.YamlGuard.Check(text) is null)
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                if (stream.Documents.Count > 0
                    && stream.Documents[0].RootNode is YamlMappingNode root
                    && root.Children.TryGetValue(new YamlScalarNode("name"), out var node))
                {
                    return ((int)Math.Max(1, node.Start.Line), (int)Math.Max(1, node.Start.Column));
                }
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            // Unreadable YAML: the conflict is about the whole file.
        }

        return (1, 1);
    }
}
