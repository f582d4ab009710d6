using System.Net;
using System.Text.Json;
using GradientNode.Core.Integrations;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>
/// <c>/v1/datasets/…</c> over a real store, in process: a version a workflow run holds is refused with 409 naming the run;
/// an empty version downloads as an empty tar.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class DatasetEndpointsTests : DatasetApiTestBase
{
    [Test]
    public async Task GetDataset_NameWithASlashAsTheCliEscapesIt_RefusedAsTyped()
    {
        using var response = await Api.SendAsync(HttpMethod.Get, $"v1/datasets/{Uri.EscapeDataString("../src")}/versions", null, CancellationToken.None);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Does.StartWith("'../src' is not a valid dataset name"));
        });
    }

    [Test]
    public async Task DeleteVersion_HeldByARun_409NamingTheRunAndTheVersionStays()
    {
        var version = await Host.CommitAsync("src");
        Host.Store.ResolveAndHold("src", "workflow 'train' run 3");

        using var response = await Api.SendAsync(HttpMethod.Delete, $"v1/datasets/src/versions/{version.Version}", null, CancellationToken.None);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Is.EqualTo(
                $"dataset version '{version.Id}' is held by workflow 'train' run 3, which resolved it and has not ended (a run keeps the versions it resolved until it ends); wait for the run to end or cancel it, nothing was removed"));
            Assert.That(Host.Store.Resolve(version.Id).Id, Is.EqualTo(version.Id));
        });
    }

    [Test]
    public async Task DeleteDataset_AVersionHeldByARun_409NamingVersionAndRun()
    {
        var version = await Host.CommitAsync("src");
        Host.Store.ResolveAndHold(version.Id, "workflow 'train' run 3");

        using var response = await Api.SendAsync(HttpMethod.Delete, "v1/datasets/src", null, CancellationToken.None);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Is.EqualTo(
                $"dataset 'src' has versions held by workflow runs that resolved them and have not ended: {version.Id} by workflow 'train' run 3; wait for the runs to end or cancel them, nothing was removed"));
            Assert.That(Host.Store.List().Select(d => d.Name), Is.EqualTo(new[] { "src" }));
        });
    }

    [Test]
    public async Task DownloadVersion_EmptyVersion_AnEmptyTarTheClientUnpacks()
    {
        // A workflow job that leaves its dataset output empty commits a version of no files.
        Host.Store.EnsureCreated("empty", null);
        var version = await Host.Store.CommitAsync(Host.Store.BeginWrite("empty", null), CancellationToken.None);
        var target = Directory.CreateTempSubdirectory("gn-empty-download-").FullName;
        try
        {
            using var response = await Api.SendAsync(HttpMethod.Get, $"v1/datasets/empty/versions/{version.Version}/content", null, CancellationToken.None, stream: true);
            await using var body = await response.Content.ReadAsStreamAsync();
            var unpacked = await TarExtractor.ExtractAsync(body, target, long.MaxValue, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(unpacked, Is.EqualTo((0L, 0L)));
                Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty);
            });
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Test]
    public async Task DeleteVersion_TheRunLetGo_Removed()
    {
        var version = await Host.CommitAsync("src");
        Host.Store.ResolveAndHold("src", "workflow 'train' run 3");
        Host.Store.Leases.Release("workflow 'train' run 3");

        using var response = await Api.SendAsync(HttpMethod.Delete, $"v1/datasets/src/versions/{version.Version}", null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.Store.Versions("src"), Is.Empty);
        });
    }

    [Test]
    public async Task PostDataset_DescriptionOverTheLimit_400NamingItsSizeAndNothingCreated()
    {
        // Before: a 29 MB description was stored, and every datasets ls (GET /v1/datasets) sent it back.
        var description = new string('a', DatasetEndpoints.MaxDescriptionBytes + 1);
        using var content = new StringContent(JsonSerializer.Serialize(new { name = "big", description }), System.Text.Encoding.UTF8, "application/json");

        using var response = await Api.SendAsync(HttpMethod.Post, "v1/datasets", content, CancellationToken.None);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Is.EqualTo("the description of dataset 'big' is 4097 bytes, more than the 4096-byte limit; nothing was created"));
            Assert.That(Host.Store.List(), Is.Empty);
        });
    }

    [Test]
    public async Task PostDataset_DescriptionAtTheLimit_Created()
    {
        var description = new string('a', DatasetEndpoints.MaxDescriptionBytes);
        using var content = new StringContent(JsonSerializer.Serialize(new { name = "big", description }), System.Text.Encoding.UTF8, "application/json");

        using var response = await Api.SendAsync(HttpMethod.Post, "v1/datasets", content, CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("v1/datasets", "POST /v1/datasets")]
    [TestCase("v1/datasets/src/tags/t", "PUT /v1/datasets/{name}/tags/{tag}")]
    public async Task SmallJsonBody_OverSixtyFourKiB_413NamingTheLimit(string path, string route)
    {
        // Before: read up to Kestrel's 30 MB and buffered whole for the JSON reader.
        using var content = new StringContent("{\"name\": \"" + new string('a', DatasetEndpoints.MaxJsonBodyBytes) + "\"}", System.Text.Encoding.UTF8, "application/json");

        using var response = await Api.SendAsync(path.Contains("tags", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, path, content, CancellationToken.None);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(body.RootElement.GetProperty("error").GetString(), Is.EqualTo($"the body of {route} must be at most 65536 bytes; nothing was changed"));
        });
    }

    [Test]
    public async Task PostDataset_BodyNotUtf8_400NotAServerError()
    {
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)'}']);

        using var response = await Api.SendAsync(HttpMethod.Post, "v1/datasets", content, CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
    }
}
