using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Routing;

/// <summary>
/// Reads and writes <c>&lt;dir&gt;/routes.json</c>. Writes are atomic (temp file, 0600, fsync, rename);
/// a corrupt file on read keeps the last good table. The file can hold expected Authorization values:
/// never log its content.
/// </summary>
public sealed class RouteTableStore
{
    private readonly Lock _gate = new();
    private readonly Action<string, byte[]> _write;
    private RouteTable _lastGood = RouteTable.Empty;

    public RouteTableStore(string directory)
        : this(directory, static (path, bytes) => AtomicFile.WriteAllBytes(path, bytes))
    {
    }

    /// <summary>With the function that writes the file: a seam for faults such as a full disk.</summary>
    internal RouteTableStore(string directory, Action<string, byte[]> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _write = write;
        Directory = directory;
        FilePath = Path.Combine(directory, RouteTable.FileName);
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>The last table read or written successfully (<see cref="RouteTable.Empty"/> at first).</summary>
    public RouteTable LastGood
    {
        get
        {
            lock (_gate)
            {
                return _lastGood;
            }
        }
    }

    public void Write(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        System.IO.Directory.CreateDirectory(Directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(table, RoutingJsonContext.Default.RouteTable);
        _write(FilePath, bytes);
        lock (_gate)
        {
            _lastGood = table;
        }
    }

    public RouteTableReadResult Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RouteTableReadResult(RouteTableReadStatus.Missing, RouteTable.Empty);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Corrupt($"cannot read {FilePath}: {ex.GetType().Name}: {ex.Message}");
        }

        RouteTable? table;
        try
        {
            table = JsonSerializer.Deserialize(bytes, RoutingJsonContext.Default.RouteTable);
        }
        catch (JsonException ex)
        {
            // Only the position: a parser message can quote a character of the content (which may be a secret).
            return Corrupt($"invalid JSON in {FilePath} at {ex.Path ?? "$"} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }

        var problem = table is null ? "the file holds null" : Validate(table);
        if (problem is not null)
        {
            return Corrupt($"invalid route table in {FilePath}: {problem}");
        }

        lock (_gate)
        {
            _lastGood = table!;
        }

        return new RouteTableReadResult(RouteTableReadStatus.Ok, table!);
    }

    private RouteTableReadResult Corrupt(string error) => new(RouteTableReadStatus.Corrupt, LastGood, error);

    private static string? Validate(RouteTable table)
    {
        if (table.Deployments is null)
        {
            return "'deployments' is missing";
        }

        foreach (var deployment in table.Deployments)
        {
            if (deployment is null || string.IsNullOrEmpty(deployment.Slug))
            {
                return "a deployment has no slug";
            }

            if (deployment.Replicas is null)
            {
                return $"deployment '{deployment.Slug}' has no 'replicas'";
            }

            foreach (var replica in deployment.Replicas)
            {
                if (replica is null || string.IsNullOrEmpty(replica.Id) || string.IsNullOrEmpty(replica.Address))
                {
                    return $"deployment '{deployment.Slug}' has a replica without id or address";
                }
            }
        }

        return null;
    }
}
