using GradientNode.Daemon.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>models add|ls|rm</c> against a fake daemon on a unix socket answering as the model store's endpoints do.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class StoreCommandsTests
{
    private const string Listed = """
        [ { "name": "llama", "versions": [ "1", "2" ], "latest": "2", "bytes": 13476839424, "files": 4 },
          { "name": "tiny", "versions": [ "1" ], "latest": "1", "bytes": 8, "files": 1 } ]
        """;

    private string _dir = null!;
    private WebApplication _daemon = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-store-cli-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Path.Combine(_dir, "api.sock")));
        _daemon = builder.Build();
        _daemon.MapGet("/v1/models", () => Results.Text(Listed, "application/json"));
        _daemon.MapPost("/v1/models/{id}", (string id) => Results.Text($$"""{ "name": "{{id}}:3", "result": "created" }""", "application/json", statusCode: 201));
        _daemon.MapDelete("/v1/models/{id}", (string id) => Results.Text($$"""{ "name": "{{id}}", "result": "deleted" }""", "application/json"));
        await _daemon.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task RunAsync_Ls_SizesForPeopleInAlignedColumns()
    {
        // Before: `llama  2  2  13476839424 bytes (4 files)`, unaligned and in raw bytes.
        var (code, output) = await RunAsync("ls");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Is.EqualTo(
                "MODEL  VERSIONS  LATEST  SIZE\n" +
                "llama  2         2       12.6 GiB, 4 files\n" +
                "tiny   1         1       8 bytes, 1 file\n"));
        });
    }

    [Test]
    public async Task RunAsync_LsAsJson_PrintsTheExactBytesOfTheApi()
    {
        var (code, output) = await RunAsync("ls", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Does.Contain("\"bytes\": 13476839424"));
        });
    }

    [Test]
    public void RunAsync_LsAsYaml_UsageErrorSaysJsonOnly()
    {
        Assert.That(async () => await RunAsync("ls", "-o", "yaml"), Throws.TypeOf<UsageException>().With.Message.EqualTo("-o takes json, or text or wide for the table, not 'yaml'"));
    }

    [Test]
    public async Task RunAsync_AddAndRm_AnswerInWordsNotJson()
    {
        // Before: `{ "name": "llama:3", "result": "created" }`, while datasets create and secrets set answer in words.
        var from = Directory.CreateDirectory(Path.Combine(_dir, "weights")).FullName;
        await File.WriteAllTextAsync(Path.Combine(from, "w.bin"), "w");

        var (addCode, added) = await RunAsync("add", "llama", "--from", from);
        var (rmCode, removed) = await RunAsync("rm", "llama");

        Assert.Multiple(() =>
        {
            Assert.That(addCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(added, Is.EqualTo("model llama:3 created\n"));
            Assert.That(rmCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(removed, Is.EqualTo("model llama deleted\n"));
        });
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var api = new ApiClient(Path.Combine(_dir, "api.sock"));
        var output = new StringWriter { NewLine = "\n" };
        var code = await new StoreCommands(api, output, TextWriter.Null).RunAsync("models", ParsedArgs.Parse(args), CancellationToken.None);
        return (code, output.ToString());
    }
}
