using System.Collections.Concurrent;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Resolves a spec version's <c>secret:</c> references once, when that version is first applied, and keeps the
/// values (in memory and under <c>&lt;state-dir&gt;/snapshots/</c>, 0600) for as long as the version runs. So, as in
/// Gradient, a changed secret reaches running replicas on the next apply (or <c>gradient-node restart</c>), and a
/// daemon restart changes nothing. An incomplete resolution is not kept: it is tried again until the secret exists.
/// </summary>
public sealed class SecretSnapshots
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly SecretStore _store;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, (string Hash, SecretResolution Resolution)> _cache = new(StringComparer.Ordinal);

    public SecretSnapshots(SecretStore store, string stateDir)
    {
        _store = store;
        _directory = Path.Combine(stateDir, "snapshots");
        Directory.CreateDirectory(_directory, DirectoryMode);
        File.SetUnixFileMode(_directory, DirectoryMode);
    }

    /// <summary>Every secret reference of a spec with the field that holds it, e.g. <c>env[TOKEN]</c>.</summary>
    public static IReadOnlyList<(string Field, SecretRef Secret)> References(DeploymentSpec spec)
    {
        var refs = new List<(string, SecretRef)>();
        refs.AddRange(spec.Env.Where(e => e.Value.Secret is not null).Select(e => ($"env[{e.Name}]", e.Value.Secret!)));
        if (spec.BasicAuthKey is { } key)
        {
            refs.Add(("basicAuthKey", key));
        }

        refs.AddRange(spec.Integrations.Where(i => i.SecretAccessKey is not null).Select(i => ($"integrations[{i.Name}].secretAccessKey", i.SecretAccessKey!)));
        if (spec.Repositories is { } repos)
        {
            refs.AddRange(repos.Repositories.Where(r => r.Password is not null).Select(r => ($"repositories[{r.Name}].password", r.Password!)));
        }

        return refs;
    }

    /// <summary>The values for <paramref name="spec"/> at <paramref name="specHash"/>: the kept snapshot, or resolved now.</summary>
    public SecretResolution Resolve(DeploymentSpec spec, string specHash)
    {
        var refs = References(spec);
        if (refs.Count == 0)
        {
            return SecretResolution.None;
        }

        if (_cache.TryGetValue(spec.Slug, out var cached) && cached.Hash == specHash && refs.All(r => cached.Resolution.Values.ContainsKey(r.Secret.Name)))
        {
            return cached.Resolution;
        }

        if (Load(spec.Slug, specHash) is { } persisted && refs.All(r => persisted.Values.ContainsKey(r.Secret.Name)))
        {
            _cache[spec.Slug] = (specHash, persisted);
            return persisted;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (field, secret) in refs)
        {
            if (secret.Ephemeral)
            {
                missing.Add($"{field} refers to ephemeral secret '{secret.Name}'; ephemeral secrets are not supported on a node (use secret:NAME)");
            }
            else if (_store.TryGet(secret.Name, out var value))
            {
                values[secret.Name] = value;
            }
            else
            {
                missing.Add($"{field} refers to secret '{secret.Name}', which does not exist (create it: gradient-node secrets set {secret.Name})");
            }
        }

        var resolution = new SecretResolution(values, missing);
        if (resolution.IsComplete)
        {
            _cache[spec.Slug] = (specHash, resolution);
            Save(spec.Slug, specHash, values);
        }

        return resolution;
    }

    /// <summary>Drops a deployment's snapshot (it was removed, or is restarted on purpose).</summary>
    public void Forget(string slug)
    {
        _cache.TryRemove(slug, out _);
        File.Delete(PathOf(slug));
    }

    private string PathOf(string slug) => Path.Combine(_directory, slug + ".json");

    private void Save(string slug, string hash, Dictionary<string, string> values)
    {
        var snapshot = new Dictionary<string, string>(values, StringComparer.Ordinal) { ["\0hash"] = hash };
        AtomicFile.Write(PathOf(slug), JsonSerializer.SerializeToUtf8Bytes(snapshot, SecretJsonContext.Default.DictionaryStringString), AtomicFile.OwnerOnly);
    }

    private SecretResolution? Load(string slug, string hash)
    {
        try
        {
            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(PathOf(slug)), SecretJsonContext.Default.DictionaryStringString);
            if (snapshot is null || !snapshot.Remove("\0hash", out var savedHash) || savedHash != hash)
            {
                return null;
            }

            return new SecretResolution(snapshot, []);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
