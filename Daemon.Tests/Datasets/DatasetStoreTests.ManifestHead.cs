using GradientNode.Core.Datasets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task Versions_ManifestLongerThanItsHead_ListedFromTheHeadWithoutReadingTheEntries()
    {
        // Before: every listing parsed every manifest whole (one version of 500,000 files: ~1 s per `datasets ls`).
        _store.Create("many", "m");
        var version = await CommitManyAsync("many", 1000);
        var manifest = Path.Combine(_root, "many", "versions", version.Version, "manifest.json");
        Assert.That(new FileInfo(manifest).Length, Is.GreaterThan(DatasetManifestHead.HeadBytes), "the test needs a manifest past the head");
        var bytes = File.ReadAllBytes(manifest);
        Array.Fill(bytes, (byte)1, bytes.Length / 2, 100); // entries no parser could read (a control byte is JSON nowhere): a listing that read them would leave the version out
        File.WriteAllBytes(manifest, bytes);

        var listed = _store.Versions("many").Single();
        var info = _store.Get("many");

        Assert.Multiple(() =>
        {
            Assert.That((listed.Version, listed.Files, listed.Bytes, listed.Message, listed.Created), Is.EqualTo((version.Version, 1000L, 1000L, "m", version.Created)));
            Assert.That((info.Versions, info.Files, info.Bytes), Is.EqualTo((1, 1000L, 1000L)));
            Assert.Throws<DatasetException>(() => _store.ManifestOf(listed), "what reads the entries still reads the manifest whole and finds it damaged");
        });
    }

    [Test]
    public async Task Versions_ManifestLongerThanItsHeadCutShort_LeftOutAndLogged()
    {
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new DatasetStore(_root, _time, factory.CreateLogger<DatasetStore>());
        store.Create("many", null);
        var version = await CommitManyAsync("many", 1000);
        var manifest = Path.Combine(_root, "many", "versions", version.Version, "manifest.json");
        var bytes = File.ReadAllBytes(manifest);
        File.WriteAllBytes(manifest, bytes[..(bytes.Length - 40)]);

        var versions = store.Versions("many");

        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.Empty, "a head that parses does not hide a manifest cut short");
            Assert.That(logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message), Has.One.Contains(manifest));
        });
    }

    [TestCase("{\"version\":\"abc1234\",\"created\":\"2026-12-07T01:02:03+00:00\",\"message\":\"a \\\"b\\\"\",\"bytes\":5,\"files\":2,\"source\":null,\"entries\":[{", "abc1234", "a \"b\"", 5, 2)]
    [TestCase("{\"extra\":{\"x\":[1]},\"files\":2,\"bytes\":5,\"created\":\"2026-12-07T01:02:03Z\",\"version\":\"v\",\"entries\":[", "v", null, 5, 2)]
    [TestCase("{\"version\":\"v\",\"created\":\"2026-12-07T01:02:03Z\",\"bytes\":5,\"entries\":[", null, null, 0, 0)]
    [TestCase("{\"version\":\"v\",\"created\":\"2026-12-07T01:02:03Z\",\"bytes\":\"5\",\"files\":2,\"entries\":[", null, null, 0, 0)]
    [TestCase("{\"version\":\"v\",\"created\":\"2026-12-07T01:02:03Z\",\"bytes\":5,\"files\":2,\"mess", null, null, 0, 0)]
    [TestCase("[1, 2]", null, null, 0, 0)]
    public void Parse_HeadOfAManifest_TheListingFieldsOrNullWhenNotAllThere(string head, string? version, string? message, long bytes, long files)
    {
        var parsed = DatasetManifestHead.Parse(System.Text.Encoding.UTF8.GetBytes(head));

        var got = parsed is null ? "null" : $"{parsed.Version}|{parsed.Message}|{parsed.Bytes}|{parsed.Files}|{parsed.Entries.Count}";
        Assert.That(got, Is.EqualTo(version is null ? "null" : $"{version}|{message}|{bytes}|{files}|0"));
    }

    private async Task<DatasetVersion> CommitManyAsync(string name, int count)
    {
        var write = _store.BeginWrite(name, "m");
        for (var i = 0; i < count; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(write.ContentPath, $"file-{i:D5}.txt"), "x");
        }

        return await _store.CommitAsync(write, CancellationToken.None);
    }
}
