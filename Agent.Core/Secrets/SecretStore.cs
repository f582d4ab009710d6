using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Secrets under <c>&lt;state-dir&gt;/secrets/</c>: the directory 0700, one file per secret, 0600, written atomically.
/// Values never leave this class except through <see cref="TryGet"/> to the code that injects them.
/// </summary>
public sealed class SecretStore
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public SecretStore(string stateDir)
    {
        Directory = Path.Combine(stateDir, "secrets");
        System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        File.SetUnixFileMode(Directory, DirectoryMode);
    }

    public string Directory { get; }

    /// <summary>Raised after a secret is set or removed (deployments that refer to it are looked at again).</summary>
    public event Action<string>? Changed;

    public void Set(string name, ReadOnlySpan<byte> value)
    {
        if (!SecretName.IsValid(name))
        {
            throw new SecretValidationException($"invalid secret name '{Printable(name)}': {SecretName.Rule}");
        }

        if (value.Length is 0 or > SecretName.MaxValueBytes)
        {
            throw new SecretValidationException($"the value of secret '{name}' must be 1–{SecretName.MaxValueBytes} bytes, got {value.Length}");
        }

        if (!IsUtf8(value))
        {
            throw new SecretValidationException($"the value of secret '{name}' is not UTF-8 text");
        }

        AtomicFile.Write(PathOf(name), value, AtomicFile.OwnerOnly);
        Changed?.Invoke(name);
    }

    public bool Remove(string name)
    {
        if (!SecretName.IsValid(name) || !File.Exists(PathOf(name)))
        {
            return false;
        }

        File.Delete(PathOf(name));
        Changed?.Invoke(name);
        return true;
    }

    public IReadOnlyList<SecretInfo> List() =>
        [.. new DirectoryInfo(Directory).EnumerateFiles()
            .Where(f => SecretName.IsValid(f.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new SecretInfo(f.Name, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))];

    public bool Exists(string name) => SecretName.IsValid(name) && File.Exists(PathOf(name));

    public bool TryGet(string name, out string value)
    {
        value = string.Empty;
        if (!SecretName.IsValid(name))
        {
            return false;
        }

        try
        {
            value = File.ReadAllText(PathOf(name), Encoding.UTF8);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private string PathOf(string name) => Path.Combine(Directory, name);

    private static bool IsUtf8(ReadOnlySpan<byte> value)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(value);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Echoes a bad name safely: short, no control characters.</summary>
    private static string Printable(string name)
    {
        var clean = new string([.. name.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return name.Length > 64 ? clean + "…" : clean;
    }
}
