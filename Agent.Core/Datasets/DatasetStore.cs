// Over 300 lines: the store's whole on-disk contract (layout, refs, tags, the commit rename and removal) in one place,
// so that the lock and the order of its file operations (and the leases checked under it) can be read together. Content sealing, the object pool and the
// gc rules are types of their own; a workflow run's own dataset (created, removed again) is DatasetStore.RunCreated.cs, the names and the "no dataset" error DatasetStore.Names.cs.
using System.Collections.Concurrent;
using System.Text.Json;
using GradientNode.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Datasets;

/// <summary>
/// The node's versioned datasets under <c>&lt;state&gt;/datasets</c> (mode 0700): <c>&lt;name&gt;/dataset.json</c>,
/// <c>&lt;name&gt;/tags.json</c>, <c>&lt;name&gt;/versions/&lt;id&gt;/{manifest.json,content/}</c>, writes in
/// <c>.staging/&lt;write&gt;/content</c> on the same file system, and identical files shared as hard links to
/// <c>.objects/</c>. A version exists only once its folder, with its manifest, has been renamed into <c>versions/</c>:
/// a crash, a failed upload or an aborted write leaves at most a staging folder, never listed and removed by
/// <see cref="CleanStaging"/>. See docs/design/datasets.md.
/// </summary>
public sealed partial class DatasetStore
{
    private const string DatasetFile = "dataset.json";
    private const string TagsFile = "tags.json";
    private const string ManifestFile = "manifest.json";
    private const string ContentFolder = "content";
    private const string VersionsFolder = "versions";
    private const string StagingFolder = ".staging";
    private const string WriteFile = "write.json";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _damagedManifests = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Lock _objectLock = new();
    private readonly DatasetObjects _objects;
    private readonly ConcurrentDictionary<string, DatasetWrite> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DatasetVersion> _committed = new(StringComparer.Ordinal);

    public DatasetStore(string root, TimeProvider time, ILogger<DatasetStore>? logger = null)
    {
        Root = root;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _objects = new DatasetObjects(Path.Combine(root, ".objects"));
    }

    public string Root { get; }

    public string StagingDir => Path.Combine(Root, StagingFolder);

    /// <summary>The versions workflow runs hold (resolved, not yet let go): <see cref="Remove"/> refuses them, gc skips them.</summary>
    public DatasetLeases Leases { get; } = new();

    public DatasetInfo Create(string name, string? description)
    {
        Check(name);
        lock (_lock)
        {
            if (File.Exists(DatasetFileOf(name)))
            {
                throw new DatasetException(DatasetError.Conflict, $"dataset '{name}' exists already");
            }

            WriteRecord(new DatasetRecord(name, description, _time.GetUtcNow()));
        }

        LogCreated(name);
        return Get(name);
    }

    /// <summary>The dataset <paramref name="name"/>, created (with <paramref name="description"/>) when missing.</summary>
    public void EnsureCreated(string name, string? description)
    {
        Check(name);
        lock (_lock)
        {
            if (!File.Exists(DatasetFileOf(name)))
            {
                WriteRecord(new DatasetRecord(name, description, _time.GetUtcNow()));
            }
        }
    }

    /// <summary>Every dataset; one whose damaged record cannot be replaced now (<see cref="DatasetError.Damaged"/>) is left out, not the whole list.</summary>
    public IReadOnlyList<DatasetInfo> List() => [.. Names().Select(TryGet).OfType<DatasetInfo>()];

    private DatasetInfo? TryGet(string name)
    {
        try
        {
            return Get(name);
        }
        catch (DatasetException ex) when (ex.Error == DatasetError.Damaged)
        {
            return null;
        }
    }

    public DatasetInfo Get(string name)
    {
        var record = ReadRecord(name);
        var versions = Versions(name);
        var tags = ReadTags(name);
        return new DatasetInfo(record.Name, record.Description, record.Created, versions.Count, versions.FirstOrDefault()?.Version, tags, versions.Sum(v => v.Bytes), versions.Sum(v => v.Files));
    }

    /// <summary>The committed versions of <paramref name="name"/>, newest first (the first one carries <c>latest</c>).</summary>
    public IReadOnlyList<DatasetVersion> Versions(string name)
    {
        ReadRecord(name);
        var tags = ReadTags(name);
        var folder = Path.Combine(Root, name, VersionsFolder);
        var manifests = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(ReadManifestHead).OfType<DatasetManifest>()
                .OrderByDescending(m => m.Created).ThenByDescending(m => m.Version, StringComparer.Ordinal).ToList()
            : [];
        return [.. manifests.Select((m, i) => new DatasetVersion(
            name, m.Version, m.Created, m.Message, m.Bytes, m.Files,
            [.. (i == 0 ? (string[])[DatasetReference.Latest] : []).Concat(tags.Where(t => t.Value == m.Version).Select(t => t.Key).Order(StringComparer.Ordinal))],
            m.Source))];
    }

    /// <summary><c>NAME</c>, <c>NAME:VERSION</c> or <c>NAME:TAG</c> to its committed version; <see cref="DatasetError.NotFound"/> names the reference.</summary>
    public DatasetVersion Resolve(string reference)
    {
        var parsed = DatasetReference.Parse(reference);
        var versions = Versions(parsed.Name);
        var selector = parsed.Selector ?? DatasetReference.Latest;
        var version = versions.FirstOrDefault(v => v.Version == selector) ?? versions.FirstOrDefault(v => v.Tags.Contains(selector));
        return version ?? throw new DatasetException(
            DatasetError.NotFound,
            versions.Count == 0
                ? (selector == DatasetReference.Latest ? $"dataset '{parsed.Name}' has" : $"dataset '{parsed.Name}' has no version or tag '{selector}': it has")
                    + $" no committed version yet (upload one: gradient-node datasets upload {parsed.Name} DIR)"
                : $"dataset '{parsed.Name}' has no version or tag '{selector}'{SameLetters(selector, versions)}; list its versions and tags: gradient-node datasets versions {parsed.Name}");
    }

    /// <summary>
    /// <see cref="Resolve"/>, and <paramref name="holder"/> holds the version at once (under the lock that removal takes,
    /// so no removal falls between the two) until <see cref="DatasetLeases.Release"/>.
    /// </summary>
    public DatasetVersion ResolveAndHold(string reference, string holder)
    {
        lock (_lock)
        {
            var version = Resolve(reference);
            Leases.Hold(holder, version.Id);
            return version;
        }
    }

    /// <summary>The host folder of a committed version's files (mount it read-only).</summary>
    public string ContentPathOf(string name, string version) => Path.Combine(Root, name, VersionsFolder, version, ContentFolder);

    /// <summary>A version's manifest: every file with its size and SHA-256.</summary>
    public DatasetManifest ManifestOf(DatasetVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ReadManifest(Path.Combine(Root, version.Dataset, VersionsFolder, version.Version))
            ?? throw new DatasetException(DatasetError.NotFound, $"dataset version '{version.Id}' was removed");
    }

    /// <summary>Opens a write: a fresh, empty staging content folder for the next version of <paramref name="name"/>.</summary>
    public DatasetWrite BeginWrite(string name, string? message)
    {
        lock (_lock)
        {
            return BeginWriteLocked(name, message);
        }
    }

    private DatasetWrite BeginWriteLocked(string name, string? message)
    {
        ReadRecord(name);
        var id = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(StagingDir, id);
        Directory.CreateDirectory(StagingDir);
        var write = new DatasetWrite(name, id, Path.Combine(folder, ContentFolder), message);
        try
        {
            Directory.CreateDirectory(write.ContentPath);
            AtomicFile.WriteAllBytes(Path.Combine(folder, WriteFile), JsonSerializer.SerializeToUtf8Bytes(new DatasetRecord(name, message, _time.GetUtcNow()), DatasetJsonContext.Default.DatasetRecord));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk: folders take no blocks, write.json does. Before, the folder stayed until the next start.
            if (Directory.Exists(folder))
            {
                RawTree.Delete(folder);
            }

            throw;
        }

        _open[id] = write;
        return write;
    }

    /// <summary>A write a previous daemon began, while its staging folder is still there (a job container kept running).</summary>
    public DatasetWrite? FindWrite(string id)
    {
        if (_open.TryGetValue(id, out var open))
        {
            return open;
        }

        var folder = Path.Combine(StagingDir, Path.GetFileName(id));
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, WriteFile)), DatasetJsonContext.Default.DatasetRecord);
            return record is null ? null : _open.GetOrAdd(id, new DatasetWrite(record.Name, id, Path.Combine(folder, ContentFolder), record.Description));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Commits <paramref name="write"/> as a new version: seals its content (hashes, shares identical files, drops links),
    /// writes the manifest, then renames the staging folder into <c>versions/</c>. Committing the same write again returns
    /// the same version; with <paramref name="versionId"/> (a clone of a content key) an existing version of that id is
    /// returned and the write dropped, so that nothing is committed twice. With <paramref name="holder"/>, the version is
    /// held for it from the moment it exists (a later job of the same run reads it). <paramref name="progress"/> hears how many
    /// bytes are hashed (<see cref="DatasetContent.SealAsync"/>). Canceled, the write is aborted (its staging folder removed,
    /// nothing committed, no earlier version touched) and <see cref="OperationCanceledException"/> thrown. Suspended
    /// (<paramref name="suspend"/>: the daemon stopping), the write is left staged as it is for a later commit of it (the
    /// next start's: files the seal already shared stay shared, the hashing starts over) and the exception thrown.
    /// </summary>
    public async Task<DatasetVersion> CommitAsync(DatasetWrite write, CancellationToken cancellationToken, string? versionId = null, string? source = null, string? holder = null, Action<DatasetCommitProgress>? progress = null, CancellationToken suspend = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_committed.TryGetValue(write.Id, out var done))
        {
            lock (_lock)
            {
                HoldLocked(holder, done);
            }

            return done;
        }

        var folder = Path.Combine(StagingDir, write.Id);
        if (!Directory.Exists(Path.Combine(folder, ContentFolder)))
        {
            if (CommittedFrom(write.Dataset, write.Id) is { } earlier)
            {
                // Committed before a restart (the daemon stopped or died before its caller recorded it): that version.
                lock (_lock)
                {
                    _committed[write.Id] = earlier;
                    return HoldLocked(holder, earlier);
                }
            }

            throw new DatasetException(DatasetError.NotFound, $"the write of dataset '{write.Dataset}' ({write.Id}) was aborted or removed; nothing was committed");
        }

        // A crash while a file was being linked to its object left the replacement link in the write's folder: not the job's.
        DatasetObjects.RemoveStrayLinks(folder);
        List<DatasetManifestEntry> entries;
        int dropped;
        var last = new DatasetCommitProgress(0, 0);
        var logged = _time.GetTimestamp();
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, suspend);
            (entries, dropped) = await DatasetContent.SealAsync(Path.Combine(folder, ContentFolder), _objects, _objectLock, new SealOptions(_time, Heard, MaxHoleBytes, MaxEntries), either.Token).ConfigureAwait(false);
            either.Token.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (suspend.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogCommitSuspended(write.Dataset, write.Id, last.Done, last.Total);
            throw;
        }
        catch (OperationCanceledException)
        {
            Abort(write);
            LogCommitCanceled(write.Dataset, write.Id, last.Done, last.Total);
            throw;
        }

        if (dropped > 0)
        {
            LogDropped(write.Dataset, dropped);
        }

        DatasetVersion version;
        lock (_lock)
        {
            // A first version makes a dataset a workflow run created an ordinary one: never removed as unused after that.
            if (ReadRecord(write.Dataset) is { CreatedBy: not null } created)
            {
                WriteRecord(created with { CreatedBy = null });
            }

            var versions = Path.Combine(Root, write.Dataset, VersionsFolder);
            Directory.CreateDirectory(versions);
            if (versionId is not null && Directory.Exists(Path.Combine(versions, versionId)))
            {
                Directory.Delete(folder, recursive: true);
                _open.TryRemove(write.Id, out _);
                return HoldLocked(holder, Resolve($"{write.Dataset}:{versionId}"));
            }

            var id = versionId;
            while (id is null || Directory.Exists(Path.Combine(versions, id)))
            {
                id = DatasetVersionIds.Random();
            }

            var manifest = new DatasetManifest(id, _time.GetUtcNow(), write.Message, entries.Sum(e => e.Size), entries.Count, source, write.Id, entries);
            AtomicFile.WriteAllBytes(Path.Combine(folder, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, DatasetJsonContext.Default.DatasetManifest));
            File.Delete(Path.Combine(folder, WriteFile));
            Directory.Move(folder, Path.Combine(versions, id));
            PosixFile.FlushDirectory(versions);
            _open.TryRemove(write.Id, out _);
            version = HoldLocked(holder, Resolve($"{write.Dataset}:{id}"));
            _committed[write.Id] = version;
        }

        LogCommitted(version.Id, version.Files, version.Bytes);
        return version;

        void Heard(DatasetCommitProgress now)
        {
            last = now;
            progress?.Invoke(now);
            if (_time.GetElapsedTime(logged) >= CommitLogEvery && now.Done < now.Total)
            {
                logged = _time.GetTimestamp();
                LogCommitting(write.Dataset, write.Id, now.Done, now.Total);
            }
        }
    }

    /// <summary>How often a long commit logs how far it is (event 5007).</summary>
    internal static readonly TimeSpan CommitLogEvery = TimeSpan.FromSeconds(10);

    /// <summary>The holes the files of one version may have together (<see cref="ContentHasher.DefaultMaxHoleBytes"/>; smaller in tests).</summary>
    internal long MaxHoleBytes { get; init; } = ContentHasher.DefaultMaxHoleBytes;

    /// <summary>The entries (files and folders) one version may hold by default (<c>--dataset-max-entries</c>).</summary>
    public const int DefaultMaxEntries = DatasetContent.DefaultMaxEntries;

    /// <summary>The entries the walk of one version may meet (<c>--dataset-max-entries</c>, <see cref="DefaultMaxEntries"/>; smaller in tests).</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>Drops a write: nothing of it is committed. Safe to call twice, and after the write's folder is gone.</summary>
    public void Abort(DatasetWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _open.TryRemove(write.Id, out _);
        var folder = Path.Combine(StagingDir, Path.GetFileName(write.Id));
        if (Directory.Exists(folder))
        {
            RawTree.Delete(folder); // a job may have left a name that is not UTF-8
        }
    }

    /// <summary>Points <paramref name="tag"/> of <paramref name="name"/> at <paramref name="version"/> (moving it when it pointed elsewhere).</summary>
    public DatasetVersion Tag(string name, string version, string tag)
    {
        if (DatasetReference.CheckTag(tag) is { } bad)
        {
            throw new DatasetException(DatasetError.Invalid, bad);
        }

        if (tag == DatasetReference.Latest)
        {
            throw new DatasetException(DatasetError.Invalid, "'latest' always points at the newest version and cannot be set");
        }

        lock (_lock)
        {
            var target = Resolve($"{name}:{version}");
            if (Versions(name).Any(v => v.Version == tag))
            {
                throw new DatasetException(DatasetError.Invalid, $"'{tag}' is a version id of dataset '{name}'; a tag needs another name");
            }

            var tags = new Dictionary<string, string>(ReadTags(name), StringComparer.Ordinal) { [tag] = target.Version };
            AtomicFile.WriteAllBytes(Path.Combine(Root, name, TagsFile), JsonSerializer.SerializeToUtf8Bytes(tags, DatasetJsonContext.Default.DictionaryStringString));
            return Resolve($"{name}:{target.Version}");
        }
    }

    /// <summary>
    /// Removes one version (its tags go with it) or, with <paramref name="version"/> null, the whole dataset; a version
    /// a workflow run holds (<see cref="Leases"/>) is refused with <see cref="DatasetError.InUse"/> naming the runs, and so
    /// is a whole dataset with an open write (a running job's dataset output, an upload), naming the writes.
    /// </summary>
    public void Remove(string name, string? version)
    {
        lock (_lock)
        {
            try
            {
                ReadRecord(name);
            }
            catch (DatasetException ex) when (ex.Error == DatasetError.NotFound)
            {
                throw NothingToRemove(name);
            }

            if (version is null)
            {
                if (Leases.RefusalOfDataset(name) is { } held)
                {
                    throw held;
                }

                // A write's commit needs its dataset: removing it under a running job lost the job's output at its end.
                if (_open.Values.Where(w => w.Dataset == name).Select(w => w.Message ?? "an upload").Order(StringComparer.Ordinal).ToList() is { Count: > 0 } writers)
                {
                    throw new DatasetException(DatasetError.InUse, $"dataset '{name}' has a new version being written ({string.Join("; ", writers)}); wait for it to end or stop it, nothing was removed");
                }

                Directory.Delete(Path.Combine(Root, name), recursive: true);
                LogRemoved(name);
            }
            else
            {
                var target = Resolve($"{name}:{version}");
                if (target.Version != version)
                {
                    throw new DatasetException(DatasetError.Invalid, $"'{name}:{version}' is a tag; remove a version by its id ({target.Id})");
                }

                if (Leases.RefusalOf(target.Id) is { } held)
                {
                    throw held;
                }

                RemoveVersionLocked(name, version);
            }

            SweepObjectsLocked();
        }
    }

    /// <summary>Removes staging folders of no open write whose path <paramref name="mounted"/> does not hold; returns their count.</summary>
    public int CleanStaging(Func<string, bool> mounted)
    {
        ArgumentNullException.ThrowIfNull(mounted);
        if (!Directory.Exists(StagingDir))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(StagingDir))
        {
            var id = Path.GetFileName(folder);
            if (!_open.ContainsKey(id) && !mounted(folder))
            {
                RawTree.Delete(folder);
                LogStagingRemoved(id);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes the given versions (gc), except those a run holds (held after the caller chose them), and the shared
    /// objects no version names any more; returns the versions removed, and (objects, apparent bytes). See <see cref="Collect"/>.
    /// </summary>
    public (IReadOnlyList<DatasetVersion> Removed, int Objects, long Bytes) RemoveVersions(IEnumerable<DatasetVersion> versions)
    {
        var collection = Collect(versions, _ => true, dryRun: false);
        return (collection.Versions, collection.Objects, collection.ObjectBytes);
    }

    private DatasetVersion HoldLocked(string? holder, DatasetVersion version)
    {
        if (holder is not null)
        {
            Leases.Hold(holder, version.Id);
        }

        return version;
    }

    private void RemoveVersionLocked(string name, string version)
    {
        var folder = Path.Combine(Root, name, VersionsFolder, version);
        var doomed = Path.Combine(StagingDir, ".removing-" + version + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(StagingDir);
        Directory.Move(folder, doomed); // gone from every listing at once; the files go after
        var tags = ReadTags(name).Where(t => t.Value != version).ToDictionary(StringComparer.Ordinal);
        AtomicFile.WriteAllBytes(Path.Combine(Root, name, TagsFile), JsonSerializer.SerializeToUtf8Bytes(tags, DatasetJsonContext.Default.DictionaryStringString));
        Directory.Delete(doomed, recursive: true);
        LogRemoved($"{name}:{version}");
    }

    private (int Objects, long Bytes) SweepObjectsLocked()
    {
        lock (_objectLock)
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var dataset in List())
            {
                foreach (var version in Versions(dataset.Name))
                {
                    referenced.UnionWith(ManifestOf(version).Entries.Select(e => e.Sha256));
                }
            }

            return _objects.Sweep(referenced);
        }
    }

    private static void Check(string name)
    {
        if (DatasetReference.CheckName(name) is { } bad)
        {
            throw new DatasetException(DatasetError.Invalid, bad);
        }
    }

    private string DatasetFileOf(string name) => Path.Combine(Root, name, DatasetFile);

    private void WriteRecord(DatasetRecord record)
    {
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(Root, record.Name));
        AtomicFile.WriteAllBytes(DatasetFileOf(record.Name), JsonSerializer.SerializeToUtf8Bytes(record, DatasetJsonContext.Default.DatasetRecord));
    }

    private DatasetRecord ReadRecord(string name)
    {
        Check(name);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(DatasetFileOf(name)), DatasetJsonContext.Default.DatasetRecord) switch
            {
                null => RepairRecord(name, "it holds JSON null"),
                { Name: null } => RepairRecord(name, "it has no name"),
                { } other when other.Name != name => RepairRecord(name, $"it names dataset '{other.Name}'"),
                { } record => record,
            };
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(name);
        }
        catch (JsonException ex)
        {
            return RepairRecord(name, ex.Message);
        }
    }

    private Dictionary<string, string> ReadTags(string name)
    {
        var file = Path.Combine(Root, name, TagsFile);
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), DatasetJsonContext.Default.DictionaryStringString) ?? [] : [];
        }
        catch (JsonException ex)
        {
            KeepDamagedTags(name, file, ex.Message);
            return [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// The version of <paramref name="dataset"/> that write <paramref name="writeId"/> was committed as, if any: by this
    /// process, or (its manifest's <c>write</c>) by one that stopped or died before its caller recorded it. Holds nothing.
    /// </summary>
    public DatasetVersion? CommittedVersionOf(string dataset, string writeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        ArgumentException.ThrowIfNullOrEmpty(writeId);
        return _committed.TryGetValue(writeId, out var done) ? done : CommittedFrom(dataset, writeId);
    }

    /// <summary>The version of <paramref name="dataset"/> committed from write <paramref name="writeId"/> (its manifest's <c>write</c>), if any.</summary>
    private DatasetVersion? CommittedFrom(string dataset, string writeId)
    {
        var folder = Path.Combine(Root, dataset, VersionsFolder);
        var manifest = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(ReadManifestHead).FirstOrDefault(m => m?.Write == writeId)
            : null;
        return manifest is null ? null : Resolve($"{dataset}:{manifest.Version}");
    }

    /// <summary>A version's manifest without its entries where its head says it all (<see cref="DatasetManifestHead"/>), else read whole.</summary>
    private DatasetManifest? ReadManifestHead(string versionFolder)
    {
        try
        {
            return DatasetManifestHead.TryRead(Path.Combine(versionFolder, ManifestFile)) ?? ReadManifest(versionFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // not a committed version (or one being removed)
        }
    }

    private DatasetManifest? ReadManifest(string versionFolder)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path.Combine(versionFolder, ManifestFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // not a committed version (or one being removed)
        }

        if (JsonDamage.Problem(bytes, DatasetJsonContext.Default.DatasetManifest, out var manifest) is { } problem)
        {
            DamagedManifest(versionFolder, problem);
            return null;
        }

        return manifest;
    }
}
