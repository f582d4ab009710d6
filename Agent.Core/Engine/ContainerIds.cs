namespace GradientNode.Core.Engine;

/// <summary>Container ids as people read them: the first 12 hex digits, as <c>docker ps</c> shows them.</summary>
public static class ContainerIds
{
    private const int ShortLength = 12;

    /// <summary>The first 12 characters of a full 64-digit hex id; anything else (a name, a short id) unchanged.</summary>
    public static string Short(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == 64 && id.All(char.IsAsciiHexDigitLower) ? id[..ShortLength] : id;
    }
}
