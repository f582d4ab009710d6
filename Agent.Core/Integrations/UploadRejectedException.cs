namespace GradientNode.Core.Integrations;

/// <summary>An uploaded tar stream was refused: an entry that is not a plain file or folder, a path escape, or over the size cap.</summary>
public sealed class UploadRejectedException(string message, bool tooLarge = false) : Exception(message)
{
    /// <summary>The upload passed the size cap (HTTP 413) rather than holding a bad entry (HTTP 400).</summary>
    public bool TooLarge => tooLarge;
}
