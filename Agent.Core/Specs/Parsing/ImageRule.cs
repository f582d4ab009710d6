using GradientNode.Core.Common;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// An image must be a reference the engine accepts (the Docker grammar of <see cref="ImageReference"/>), so that a
/// bad one is an error at its line instead of a deployment that never starts.
/// </summary>
internal static class ImageRule
{
    public static string? Check(string image)
    {
        if (image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "must not contain whitespace or control characters";
        }

        return ImageReference.TryParse(image, out _, out var error)
            ? null
            : $"not a valid image reference: {error}; expected [REGISTRY/]REPOSITORY[:TAG][@DIGEST], e.g. nginx:1.27";
    }
}
