using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Removing a tag (Gradient's <c>gradient datasets tags delete --id DS:TAG</c>). Before, a tag could only be moved, so a
/// version tagged to keep it from gc stayed until the version itself was removed.
/// </summary>
public sealed partial class DatasetStore
{
    /// <summary>Removes <paramref name="tag"/> of dataset <paramref name="name"/>; the version it pointed at, which stays.</summary>
    public DatasetVersion Untag(string name, string tag)
    {
        if (DatasetReference.CheckTag(tag) is { } bad)
        {
            throw new DatasetException(DatasetError.Invalid, bad);
        }

        if (tag == DatasetReference.Latest)
        {
            throw new DatasetException(DatasetError.Invalid, "'latest' always points at the newest version and cannot be removed");
        }

        lock (_lock)
        {
            ReadRecord(name);
            var tags = new Dictionary<string, string>(ReadTags(name), StringComparer.Ordinal);
            if (!tags.Remove(tag, out var version))
            {
                var has = tags.Count == 0 ? "it has no tags" : $"its tags: {string.Join(", ", tags.Keys.Order(StringComparer.Ordinal))}";
                throw new DatasetException(DatasetError.NotFound, $"dataset '{name}' has no tag '{tag}' ({has})");
            }

            AtomicFile.WriteAllBytes(Path.Combine(Root, name, TagsFile), JsonSerializer.SerializeToUtf8Bytes(tags, DatasetJsonContext.Default.DictionaryStringString));
            return Resolve($"{name}:{version}");
        }
    }
}
