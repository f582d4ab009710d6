namespace GradientNode.Daemon.Api;

/// <summary>A value-less query option (<c>follow</c>, <c>timestamps</c>): on when given as <c>true</c>, <c>1</c> or empty.</summary>
internal static class QueryFlag
{
    public static bool IsSet(IQueryCollection query, string name) =>
        query[name] is { Count: > 0 } values && values[0] is "true" or "1" or "";
}
