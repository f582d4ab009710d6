using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Registries;

/// <summary>Registry connections under <c>&lt;state-dir&gt;/registries/NAME.json</c>: directory 0700, files 0600, atomic writes.</summary>
public sealed class RegistryStore
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public RegistryStore(string stateDir)
    {
        Directory = Path.Combine(stateDir, "registries");
        System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        File.SetUnixFileMode(Directory, DirectoryMode);
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
        Changed?.Invoke(connection.Name);
    }

    public bool Remove(string name)
    {
        if (!RegistryConnection.IsValidName(name) || !File.Exists(PathOf(name)))
        {
            return false;
        }

        File.Delete(PathOf(name));
        Changed?.Invoke(name);
        return true;
    }

    public RegistryConnection? Get(string name)
    {
        if (!RegistryConnection.IsValidName(name) || !File.Exists(PathOf(name)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(PathOf(name)), RegistryJsonContext.Default.RegistryConnection);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public IReadOnlyList<RegistryInfo> List() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(path => Get(Path.GetFileNameWithoutExtension(path)))
            .OfType<RegistryConnection>()
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.ToInfo())];

    private string PathOf(string name) => Path.Combine(Directory, name + ".json");
}
