using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>Pulls from the password-protected test registry, with layers the engine has never seen.</summary>
internal sealed partial class DockerEngineTests
{
    private const int RandomLayerBytes = 3_000_000;

    [Test]
    public async Task PullImageAsync_FreshLayerFromRegistry_ReportsDownloadedBytes()
    {
        var registry = TestRegistry.Require();
        var auth = new RegistryAuth(registry.Username, registry.Password, registry.Address);
        var image = $"{registry.Address}/gradient-test/pull-progress:{_case}";
        using var docker = new DockerHttpClient(TestEnvironment.DockerHost);
        await ImportRandomImageAsync(docker, image);
        try
        {
            // Push, then drop the local copy: its only layer is then new to the engine and has to be downloaded.
            await StreamAsync(docker, HttpMethod.Post, $"/images/{DockerQuery.EscapePath(image)}/push", null, auth);
            await RemoveImageAsync(docker, image);
            var reports = new List<PullProgress>();

            await _engine.PullImageAsync(image, auth, new ListProgress(reports), Token(TestTimeouts.Container));

            var pull = new PullAggregate(image, TimeProvider.System, TimeSpan.Zero, null);
            reports.ForEach(pull.Report);
            var status = pull.Snapshot();
            Assert.Multiple(() =>
            {
                Assert.That(reports, Has.Some.Matches<PullProgress>(r => r.Status == "Downloading" && r.Current > 0 && r.Total >= RandomLayerBytes));
                Assert.That(status.LayersTotal, Is.EqualTo(1));
                Assert.That(status.LayersDone, Is.EqualTo(1));
                Assert.That(status.BytesTotal, Is.GreaterThanOrEqualTo(RandomLayerBytes));
                Assert.That(status.BytesDone, Is.EqualTo(status.BytesTotal));
            });
        }
        finally
        {
            await RemoveImageAsync(docker, image);
        }
    }

    /// <summary><c>POST /images/create?fromSrc=-</c> with one file of random bytes (incompressible, new every run).</summary>
    private static async Task ImportRandomImageAsync(DockerHttpClient docker, string image)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var data = new MemoryStream(RandomNumberGenerator.GetBytes(RandomLayerBytes));
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "data.bin") { DataStream = data });
        }

        tar.Position = 0;
        var reference = ImageReference.Parse(image);
        using var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        await StreamAsync(docker, HttpMethod.Post, $"/images/create?fromSrc=-&repo={Uri.EscapeDataString(reference.Name)}&tag={Uri.EscapeDataString(reference.TagOrDigest)}", content, null);
    }

    private static async Task RemoveImageAsync(DockerHttpClient docker, string image)
    {
        using var response = await docker.SendAsync(HttpMethod.Delete, $"/images/{DockerQuery.EscapePath(image)}?force=true", null, Token());
        Assert.That((int)response.StatusCode, Is.EqualTo(200).Or.EqualTo(404), await response.Content.ReadAsStringAsync());
    }

    /// <summary>A call that answers with a JSON progress stream, which reports failures in-band.</summary>
    private static async Task StreamAsync(DockerHttpClient docker, HttpMethod method, string path, HttpContent? content, RegistryAuth? auth)
    {
        using var response = await docker.SendAsync(
            method, path, content, Token(TestTimeouts.Container), HttpCompletionOption.ResponseContentRead,
            headers => { if (auth is not null) { headers.Add("X-Registry-Auth", DockerQuery.EncodeAuth(auth)); } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode && !body.Contains("\"error", StringComparison.Ordinal), Is.True, $"{method} {path}: {body}");
    }

    private sealed class ListProgress(List<PullProgress> reports) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => reports.Add(value);
    }
}
