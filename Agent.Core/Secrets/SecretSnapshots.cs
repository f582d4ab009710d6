using System.Collections.Concurrent;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Resolves a spec version's <c>secret:</c> references once, when that version is first applied, and keeps the
/// values (in memory and under <c>&lt;state-dir&gt;/snapshots/</c>, 0600) for as long as the version runs. So, as in
/// Gradient, a changed secret reaches running replicas on the next apply (or <c>gradient-node restart</c>), and a
/// daemon restart changes nothing. An incomplete resolution is not kept: it is tried again until the secret exists.
/// A snapshot lives no longer than what it copies: <c>secrets set</c> or <c>secrets rm</c> of a secret it holds drops it
/// (memory and file), so the next resolution reads the store again, and a removed deployment's snapshot is
/// <see cref="Remove">removed</see>. A dropped snapshot's values go to <see cref="RetiredSecretValues"/>: replicas started
/// with them still hold them, so the deployment's <see cref="MaskFor">mask</see> keeps hiding them.
/// </summary>
public sealed partial class SecretSnapshots
{
    /// <summary>The key under which a snapshot file keeps its version hash (never a secret name).</summary>
    private const string HashKey = "\0hash";
    private readonly SecretStore _store;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, (string Hash, SecretResolution Resolution)> _cache = new(StringComparer.Ordinal);

    /// <summary>Serialises resolving against invalidating, so a value read before a change is never saved after it.</summary>
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly RetiredSecretValues _retired;

    /// <summary>Slugs whose snapshot is held in memory only because writing it failed (a full disk): written again on the next use.</summary>
    private readonly ConcurrentDictionary<string, string> _unsaved = new(StringComparer.Ordinal);

    public SecretSnapshots(SecretStore store, string stateDir, ILogger? logger = null)
    {
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _directory = Path.Combine(stateDir, "snapshots");
        OwnerOnlyDirectory.Create(_directory);
        _retired = new RetiredSecretValues(_directory, new StateFileDamage(TimeProvider.System, _logger));
        store.Changed += Invalidate;
    }

    /// <summary>Problems the node report shows: snapshots that live in memory only because they could not be written.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. _unsaved.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"the secret snapshot of {p.Key} could not be written ({p.Value}); it is kept in memory only and written again on its next use")];

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

    /// <summary>The stored secret's value now (no snapshot): false when it is missing or damaged.</summary>
    public bool TryGetStored(string name, out string value) => _store.TryGet(name, out value);

    /// <summary>The values for <paramref name="spec"/> at <paramref name="specHash"/>: the kept snapshot, or resolved now.</summary>
    public SecretResolution Resolve(DeploymentSpec spec, string specHash)
    {
        var refs = References(spec);
        if (refs.Count == 0)
        {
            return SecretResolution.None;
        }

        lock (_gate)
        {
            return ResolveLocked(spec, specHash, refs);
        }
    }

    /// <summary>
    /// What a replica of <paramref name="spec"/> may print of its secrets, to mask in its log lines: the store's values
    /// now, and the values its replicas were started with before a change (<see cref="RetiredSecretValues"/>: a replica
    /// keeps its environment until it is replaced). A kept snapshot adds nothing more: <see cref="Invalidate"/> retires
    /// its values whenever one of its secrets changes.
    /// </summary>
    public LogMask MaskFor(DeploymentSpec spec) => new([.. References(spec)
        .Where(r => !r.Secret.Ephemeral)
        .Select(r => _store.TryGet(r.Secret.Name, out var value) ? value : null)
        .OfType<string>(), .. _retired.Of(spec.Slug)]);

    /// <summary>
    /// Every value a replica of this node may hold: each stored secret's value now and each kept snapshot's. For output
    /// whose deployment has no spec left to say which secrets it references (deleted while its replicas still stop):
    /// more is hidden than its own secrets, nothing of them is shown.
    /// </summary>
    public LogMask MaskForAll()
    {
        var values = _store.List().Select(s => _store.TryGet(s.Name, out var value) ? value : null).OfType<string>();
        lock (_gate)
        {
            return new LogMask([.. values, .. _cache.Values.SelectMany(c => c.Resolution.Values.Values), .. _retired.All()]);
        }
    }

    /// <summary>
    /// Drops a deployment's snapshot because it is restarted on purpose: the next resolution reads the store. Its values
    /// stay masked (retired) while its old replicas drain.
    /// </summary>
    public void Forget(string slug)
    {
        lock (_gate)
        {
            var held = _cache.TryRemove(slug, out var cached) ? cached.Resolution.Values.Values : Read(PathOf(slug))?.Where(p => p.Key != HashKey).Select(p => p.Value);
            _retired.Add(slug, held ?? []);
            _unsaved.TryRemove(slug, out _);
            File.Delete(PathOf(slug));
        }
    }

    /// <summary>Drops everything of a deployment that is removed and has no container left: its snapshot and its retired values.</summary>
    public void Remove(string slug)
    {
        lock (_gate)
        {
            _cache.TryRemove(slug, out _);
            _unsaved.TryRemove(slug, out _);
            File.Delete(PathOf(slug));
            _retired.Drop(slug);
        }
    }

    /// <summary>Drops every snapshot that holds <paramref name="secretName"/> (it was set or removed): in memory and on disk.</summary>
    public void Invalidate(string secretName)
    {
        lock (_gate)
        {
            foreach (var (slug, cached) in _cache)
            {
                if (cached.Resolution.Values.TryGetValue(secretName, out var old))
                {
                    // Its replicas keep the value they were started with until they are replaced: it stays masked.
                    _retired.Add(slug, [old]);
                    _cache.TryRemove(slug, out _);
                    _unsaved.TryRemove(slug, out _);
                }
            }

            foreach (var file in Directory.EnumerateFiles(_directory, "*.json"))
            {
                var snapshot = Read(file);
                if (snapshot is null || snapshot.ContainsKey(secretName))
                {
                    // Unreadable snapshots go too: the next resolution writes a fresh one.
                    var slug = Path.GetFileNameWithoutExtension(file);
                    if (snapshot is not null && snapshot.TryGetValue(secretName, out var old))
                    {
                        _retired.Add(slug, [old]);
                    }

                    _cache.TryRemove(slug, out _);
                    File.Delete(file);
                }
            }
        }
    }

    private SecretResolution ResolveLocked(DeploymentSpec spec, string specHash, IReadOnlyList<(string Field, SecretRef Secret)> refs)
    {
        if (_cache.TryGetValue(spec.Slug, out var cached) && cached.Hash == specHash && refs.All(r => cached.Resolution.Values.ContainsKey(r.Secret.Name)))
        {
            if (_unsaved.ContainsKey(spec.Slug))
            {
                Save(spec.Slug, specHash, new Dictionary<string, string>(cached.Resolution.Values, StringComparer.Ordinal));
            }

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
            else if (_store.DamageOf(secret.Name) is { } damage)
            {
                missing.Add($"{field} refers to {SecretStore.DamagedProblem(secret.Name, damage)}");
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

    private string PathOf(string slug) => Path.Combine(_directory, slug + ".json");

    private void Save(string slug, string hash, Dictionary<string, string> values)
    {
        var snapshot = new Dictionary<string, string>(values, StringComparer.Ordinal) { [HashKey] = hash };
        if (JsonStateFile.TryWrite(PathOf(slug), snapshot, SecretJsonContext.Default.DictionaryStringString) is { } ex)
        {
            // A full disk must not stop the node: the values serve from memory; only a daemon restart would re-read them.
            if (_unsaved.TryGetValue(slug, out var known) is false || known != ex.Message)
            {
                LogSaveFailed(slug, ex.Message);
            }

            _unsaved[slug] = ex.Message;
        }
        else if (_unsaved.TryRemove(slug, out _))
        {
            LogSaved(slug);
        }
    }

    private SecretResolution? Load(string slug, string hash)
    {
        var snapshot = Read(PathOf(slug));
        if (snapshot is null || !snapshot.Remove(HashKey, out var savedHash) || savedHash != hash)
        {
            return null;
        }

        return new SecretResolution(snapshot, []);
    }

    private static Dictionary<string, string>? Read(string path) => JsonStateFile.Read(path, SecretJsonContext.Default.DictionaryStringString);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "the secret snapshot of {Slug} could not be written ({Error}); it is kept in memory only")]
    private partial void LogSaveFailed(string slug, string error);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Information, Message = "the secret snapshot of {Slug} is written again")]
    private partial void LogSaved(string slug);
}
