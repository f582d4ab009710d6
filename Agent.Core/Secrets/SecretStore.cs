using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Secrets under <c>&lt;state-dir&gt;/secrets/</c>: the directory 0700, one file per secret, 0600, written atomically.
/// Values never leave this class except through <see cref="TryGet"/> to the code that injects them.
/// <see cref="Set"/> stores only 1–8192 bytes of UTF-8, written atomically and flushed (temp file, fsync, rename), so an
/// empty file or one that is not UTF-8 was never written by the node: it was damaged (a full disk under a copy, a hand
/// edit, a restore). Such a file is not a value: <see cref="TryGet"/> refuses it and <see cref="DamageOf"/> says why (a
/// spec that names it gets that error; <c>secrets ls</c> marks it), where before an empty file was injected as an empty
/// value and invalid bytes as U+FFFD.
/// </summary>
public sealed partial class SecretStore
{
    private readonly ILogger _logger;

    /// <summary>The damage logged per name (1404), so that each is logged once, not at every reconcile.</summary>
    private readonly DamageLogMemory _logged = new();

    public SecretStore(string stateDir, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Directory = Path.Combine(stateDir, "secrets");
        OwnerOnlyDirectory.Create(Directory);
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
        _logged.Forget(name);
        Changed?.Invoke(name);
    }

    public bool Remove(string name)
    {
        if (!SecretName.IsValid(name) || !File.Exists(PathOf(name)))
        {
            return false;
        }

        File.Delete(PathOf(name));
        _logged.Forget(name);
        Changed?.Invoke(name);
        return true;
    }

    public IReadOnlyList<SecretInfo> List() =>
        [.. new DirectoryInfo(Directory).EnumerateFiles()
            .Where(f => SecretName.IsValid(f.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new SecretInfo(f.Name, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero), Read(f.Name).Damage))];

    public bool Exists(string name) => SecretName.IsValid(name) && File.Exists(PathOf(name));

    /// <summary>The stored value; false when there is none or its file is damaged (<see cref="DamageOf"/>).</summary>
    public bool TryGet(string name, out string value)
    {
        var (found, _) = Read(name);
        value = found ?? string.Empty;
        return found is not null;
    }

    /// <summary>
    /// Why <paramref name="name"/>'s stored file is not a value (<c>its stored file secrets/NAME is empty (0 bytes) …</c>);
    /// null when it is one or when there is no file. Never quotes the content, nor says how long it is.
    /// </summary>
    public string? DamageOf(string name) => Read(name).Damage;

    /// <summary>The words a spec or job that names a damaged secret gets, after its field.</summary>
    public static string DamagedProblem(string name, string damage) =>
        $"secret '{name}': {damage}; set it again: gradient-node secrets set {name}";

    private (string? Value, string? Damage) Read(string name)
    {
        if (!SecretName.IsValid(name))
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

        // Never the file's size: how long a value is (a 6-byte password, a 40-byte token) is itself something about it.
        var problem = bytes.Length == 0 ? "is empty (0 bytes)" : IsUtf8(bytes) ? null : "is not UTF-8 text";
        if (problem is null)
        {
            return (new UTF8Encoding(false).GetString(bytes), null);
        }

        var damage = $"its stored file secrets/{name} {problem}, which secrets set never stores: the file was damaged (a full disk, a hand edit)";
        if (_logged.Report(name, damage))
        {
            LogDamaged(name, PathOf(name), problem);
        }

        return (null, damage);
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

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "secret {Name}: its stored file {Path} {Problem}, which secrets set never stores; it is not injected, specs and jobs that name it get an error, until it is set again or removed")]
    private partial void LogDamaged(string name, string path, string problem);

    /// <summary>Echoes a bad name safely: short, no control characters.</summary>
    private static string Printable(string name)
    {
        var clean = new string([.. name.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return name.Length > 64 ? clean + "…" : clean;
    }
}
