using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Registries;

/// <summary>
/// Registry connections under <c>&lt;state-dir&gt;/registries/NAME.json</c>: directory 0700, files 0600, atomic writes.
/// A stored file that is not a connection (empty, cut short, not JSON, another shape: damaged by a full disk or a hand
/// edit) is still listed, marked with <see cref="DamageOf"/>'s reason, and can be removed; a spec that names it is told
/// that its file is damaged, not that it does not exist. The reason never quotes the file (it holds the password).
/// </summary>
public sealed partial class RegistryStore
{
    private readonly ILogger _logger;

    /// <summary>The damage logged per name (1401), so that each is logged once, not at every reconcile.</summary>
    private readonly DamageLogMemory _logged = new();

    public RegistryStore(string stateDir, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Directory = Path.Combine(stateDir, "registries");
        OwnerOnlyDirectory.Create(Directory);
    }

    public string Directory { get; }

    public event Action<string>? Changed;

    public void Set(RegistryConnection connection)
    {
        var problems = new List<string>();
        if (!RegistryConnection.IsValidName(connection.Name))
        {
            problems.Add($"invalid registry name: {RegistryConnection.NameRule}");
        }

        if (RegistryConnection.UrlProblem(connection.Url) is { } urlProblem)
        {
            problems.Add(urlProblem);
        }

        if (string.IsNullOrWhiteSpace(connection.Username))
        {
            problems.Add("username must not be empty");
        }

        if (connection.Password.Length is 0 or > SecretName.MaxValueBytes)
        {
            problems.Add($"password must be 1–{SecretName.MaxValueBytes} bytes");
        }

        if (problems.Count > 0)
        {
            throw new SecretValidationException(string.Join("; ", problems));
        }

        AtomicFile.Write(PathOf(connection.Name), JsonSerializer.SerializeToUtf8Bytes(connection, RegistryJsonContext.Default.RegistryConnection), AtomicFile.OwnerOnly);
        _logged.Forget(connection.Name);
        Changed?.Invoke(connection.Name);
    }

    /// <summary>Removes the stored file, a damaged one too.</summary>
    public bool Remove(string name)
    {
        if (!RegistryConnection.IsValidName(name) || !File.Exists(PathOf(name)))
        {
            return false;
        }

        File.Delete(PathOf(name));
        _logged.Forget(name);
        Changed?.Invoke(name);
        return true;
    }

    /// <summary>The stored connection; null when there is none or its file is damaged (<see cref="DamageOf"/>).</summary>
    public RegistryConnection? Get(string name) => Read(name).Connection;

    /// <summary>
    /// Why <paramref name="name"/>'s stored file is not a connection (<c>its stored file registries/NAME.json is damaged
    /// (it is empty (0 bytes))…</c>); null when it is one or when there is no file.
    /// </summary>
    public string? DamageOf(string name) => Read(name).Damage;

    /// <summary>Every stored connection by name, damaged ones included (marked, URL and username empty).</summary>
    public IReadOnlyList<RegistryInfo> List() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(path => (Name: Path.GetFileNameWithoutExtension(path), Path: path))
            .Where(file => RegistryConnection.IsValidName(file.Name))
            .Select(file => (file.Name, file.Path, Read: Read(file.Name)))
            .Where(file => file.Read.Connection is not null || file.Read.Damage is not null)
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .Select(file => file.Read.Connection?.ToInfo() ?? new RegistryInfo(file.Name, string.Empty, string.Empty, null, ModifiedOf(file.Path), file.Read.Damage))];

    /// <summary>The words a spec that names a damaged connection gets, after its field.</summary>
    public static string DamagedProblem(string name, string damage) =>
        $"'{name}': {damage}; add it again (gradient-node registries add {name} --url URL --username U --password-stdin) or remove it (gradient-node registries rm {name})";

    private (RegistryConnection? Connection, string? Damage) Read(string name)
    {
        if (!RegistryConnection.IsValidName(name))
        {
            return (null, null);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(name));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }

        var problem = JsonDamage.Problem(bytes, RegistryJsonContext.Default.RegistryConnection, out var connection);
        if (problem is null && connection is not null)
        {
            problem = ShapeProblem(name, connection);
        }

        if (problem is null)
        {
            return (connection, null);
        }

        var damage = $"its stored file registries/{name}.json is damaged ({problem})";
        if (_logged.Report(name, damage))
        {
            LogDamaged(name, PathOf(name), problem);
        }

        return (null, damage);
    }

    /// <summary>JSON of a connection's shape with a field missing or another connection's name (names only, never values).</summary>
    private static string? ShapeProblem(string name, RegistryConnection connection)
    {
        string[] missing = [.. new (string Field, string? Value)[] { ("name", connection.Name), ("url", connection.Url), ("username", connection.Username), ("password", connection.Password) }
            .Where(f => string.IsNullOrEmpty(f.Value))
            .Select(f => f.Field)];
        if (missing.Length > 0)
        {
            return $"it is JSON, but {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} missing";
        }

        return connection.Name == name ? null : "it is JSON, but its name is not the file's";
    }

    private static DateTimeOffset ModifiedOf(string path) => new(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);

    private string PathOf(string name) => Path.Combine(Directory, name + ".json");

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "registry connection {Name}: its stored file {Path} is damaged ({Problem}); it is listed as damaged, specs that name it get an error, until it is added again or removed")]
    private partial void LogDamaged(string name, string path, string problem);
}
