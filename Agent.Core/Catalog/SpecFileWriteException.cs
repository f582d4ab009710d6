namespace GradientNode.Core.Catalog;

/// <summary>
/// A spec file could not be written or deleted (the specs directory is read-only, not ours, full): the message names
/// the file, the operation and the system's reason, and says that nothing changed, so a client shows it as it is
/// instead of "internal error".
/// </summary>
public sealed class SpecFileWriteException : IOException
{
    public SpecFileWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SpecFileWriteException()
    {
    }

    public SpecFileWriteException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// Wraps <paramref name="error"/> for <paramref name="verb"/> (<c>write</c>, <c>delete</c>) of <paramref name="path"/>;
    /// the reason is the system's (<c>Operation not permitted</c>, <c>No space left on device</c>) rather than .NET's
    /// wording about the temporary file.
    /// </summary>
    public static SpecFileWriteException For(string verb, string path, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var reason = error is UnauthorizedAccessException { InnerException: IOException inner } ? inner.Message : error.Message;
        var cut = reason.IndexOf(" : '", StringComparison.Ordinal);
        reason = cut > 0 ? reason[..cut] : reason.TrimEnd('.');
        var kind = error is UnauthorizedAccessException ? "permission denied: " : string.Empty;
        return new SpecFileWriteException($"cannot {verb} the spec file {path}: {kind}{reason}; nothing was changed", error);
    }
}
