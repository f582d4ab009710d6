namespace GradientNode.Core.Specs.Parsing;

/// <summary>Checks shared by values that reach a command line or a URL parser.</summary>
internal static class TextRules
{
    /// <summary>Null when <paramref name="value"/> neither starts with '-' nor holds whitespace or control characters.</summary>
    public static string? Unsafe(string value)
    {
        if (value.StartsWith('-'))
        {
            return "must not start with '-'";
        }

        return value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? "must not contain whitespace or control characters"
            : null;
    }
}
