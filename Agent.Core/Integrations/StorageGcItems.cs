using System.Globalization;
using GradientNode.Core.Datasets;

namespace GradientNode.Core.Integrations;

/// <summary>The lines of a collection report (<see cref="StorageGcItem"/>): what goes and why, in the order the pass takes them.</summary>
public static class StorageGcItems
{
    public static IReadOnlyList<StorageGcItem> Of(DatasetCollection store, CacheCollection cache, int keep)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(cache);
        var items = new List<StorageGcItem>();
        items.AddRange(store.Versions.Select(v => new StorageGcItem(
            "version",
            v.Id,
            v.Bytes,
            string.Create(CultureInfo.InvariantCulture, $"not among the {Math.Max(1, keep)} newest versions of '{v.Dataset}' (--dataset-keep), no tag, no container mounts it and no workflow run holds it"))));
        items.AddRange(store.Staging.Select(s => new StorageGcItem(
            "staging",
            s.Folder,
            s.Bytes,
            "an unfinished write (an upload, clone or job output that was never committed) that no container mounts")));
        if (store.Objects > 0)
        {
            items.AddRange([new StorageGcItem(
                "objects",
                store.Objects.ToString(CultureInfo.InvariantCulture),
                store.ObjectBytes,
                "shared files no remaining dataset version names")]);
        }

        items.AddRange(cache.Folders.Select((f, i) => new StorageGcItem(
            "cache",
            f,
            cache.Sizes[i],
            "fetched integration content that no deployment's current version plans and no container mounts")));
        return items;
    }

    public static StorageGcItem EmptyDataset(string name) => new(
        "dataset",
        name,
        0,
        "created for a deployment's legacy repositories block whose clone never committed a version, and no deployment names it any more");
}
