namespace GradientNode.Core.Routing;

public enum RouteTableReadStatus
{
    /// <summary>The file was read and is valid.</summary>
    Ok,

    /// <summary>There is no file (yet): the table is <see cref="RouteTable.Empty"/>.</summary>
    Missing,

    /// <summary>The file could not be read or parsed: the table is the last good one.</summary>
    Corrupt,
}
