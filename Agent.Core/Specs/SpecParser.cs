namespace GradientNode.Core.Specs;

/// <summary>Parses and validates one spec file (YAML or JSON) into a <see cref="DeploymentSpec"/>.</summary>
public static class SpecParser
{
    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/> (used in messages and for a
    /// legacy spec's default name). Reports every problem at once; never throws for bad input.
    /// </summary>
    public static SpecParseResult Parse(string filePath, string text) =>
        throw new NotImplementedException("SpecParser is being written");
}
