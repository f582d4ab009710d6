using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// <see cref="S3Fetcher"/> against the real s3rver <c>./test.sh</c> starts: the url's prefix is a folder (as
/// <c>aws s3 sync</c> reads it), and a prefix with no objects fails instead of mounting an empty volume.
/// </summary>
[TestFixture]
[Category("Engine")]
internal sealed class S3FetcherTests
{
    private TestIntegrationSources _sources = null!;
    private string _target = string.Empty;
    private string _root = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _sources = TestIntegrationSources.Require();
        _target = Path.Combine(Directory.CreateTempSubdirectory("gn-s3f-").FullName, "content");
        Directory.CreateDirectory(_target);
        _root = $"s3f-{Guid.NewGuid():N}"[..16];
    }

    [TearDown]
    public void TearDown()
    {
        if (_target.Length > 0)
        {
            Directory.Delete(Path.GetDirectoryName(_target)!, recursive: true);
        }
    }

    [Test]
    public async Task FetchAsync_PrefixWithoutSlash_FetchesThatFolderOnlyNotItsNamesakes()
    {
        await PutAsync($"{_root}/llama/weights.bin", "weights");
        await PutAsync($"{_root}/llama-chat/weights.bin", "chat weights");
        await PutAsync($"{_root}/llama.txt", "a file beside it");

        await FetchAsync($"{_root}/llama");

        var files = Directory.EnumerateFiles(_target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_target, f)).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "weights.bin" }), "llama-chat/ and llama.txt are other objects, not part of the folder llama/");
        Assert.That(File.ReadAllText(Path.Combine(_target, "weights.bin")), Is.EqualTo("weights"));
    }

    [Test]
    public async Task FetchAsync_PrefixWithNoObjects_FailsNamingTheUrl()
    {
        await PutAsync($"{_root}/models/readme.txt", "hello");

        var failure = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync($"{_root}/modles"));

        Assert.That(failure!.Message, Is.EqualTo(
            $"s3://{_sources.S3Bucket}/{_root}/modles: no objects under s3://{_sources.S3Bucket}/{_root}/modles/; check the url's prefix (it names a folder: s3://BUCKET/FOLDER/)"));
        Assert.That(Directory.EnumerateFileSystemEntries(_target), Is.Empty);
    }

    [Test]
    public void FolderOf_PrefixWithOrWithoutSlash_EndsWithOneSlash()
    {
        Assert.Multiple(() =>
        {
            Assert.That(S3Fetcher.FolderOf("models"), Is.EqualTo("models/"));
            Assert.That(S3Fetcher.FolderOf("models/"), Is.EqualTo("models/"));
            Assert.That(S3Fetcher.FolderOf(string.Empty), Is.EqualTo(string.Empty), "the whole bucket");
        });
    }

    private Task FetchAsync(string prefix) =>
        new S3Fetcher().FetchAsync(
            new S3Source(_sources.S3Bucket, prefix, null, _sources.S3Endpoint, "S3RVER", "S3RVER"),
            _target,
            new FetchProgress(TimeProvider.System),
            CancellationToken.None);

    /// <summary>s3rver takes unsigned writes (as scripts/lib.sh's s3_put does).</summary>
    private async Task PutAsync(string key, string content)
    {
        using var http = new HttpClient();
        using var body = new StringContent(content);
        using var response = await http.PutAsync(new Uri($"{_sources.S3Endpoint}/{_sources.S3Bucket}/{key}"), body);
        response.EnsureSuccessStatusCode();
    }
}
