using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using GradientNode.Core.Common;
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
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build();
        await ImportRandomImageAsync(docker, image);
        try
        {
            // Push, then drop the local copy: its only layer is then new to the engine and has to be downloaded.
            var push = new InBandErrors();
            await docker.Images.PushImageAsync(image, new ImagePushParameters(), new AuthConfig { Username = auth.Username, Password = auth.Password, ServerAddress = auth.ServerAddress }, push, Token(TestTimeouts.Container));
            push.ThrowIfAny($"push of {image}");
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
    private static async Task ImportRandomImageAsync(DockerClient docker, string image)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var data = new MemoryStream(RandomNumberGenerator.GetBytes(RandomLayerBytes));
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "data.bin") { DataStream = data });
        }

        tar.Position = 0;
        var reference = ImageReference.Parse(image);
        var import = new InBandErrors();
        await docker.Images.CreateImageAsync(new ImagesCreateParameters { Repo = reference.Name, Tag = reference.TagOrDigest }, tar, null, import, Token(TestTimeouts.Container));
        import.ThrowIfAny($"import of {image}");
    }

    private static async Task RemoveImageAsync(DockerClient docker, string image)
    {
        try
        {
            await docker.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true }, Token());
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    /// <summary>A JSON progress stream reports failures in-band: keeps them for the assertion.</summary>
    private sealed class InBandErrors : IProgress<JSONMessage>
    {
        private readonly List<string> _errors = [];

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } message)
            {
                _errors.Add(message);
            }
        }

        public void ThrowIfAny(string what) => Assert.That(_errors, Is.Empty, what);
    }

    private sealed class ListProgress(List<PullProgress> reports) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => reports.Add(value);
    }
}
