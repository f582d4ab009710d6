using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class TlsCommandTests
{
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private string _dir = null!;
    private string _config = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-tls-command-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "tls"));
        File.WriteAllText(Path.Combine(_dir, "tls", "ca.crt"), CaPem);
        _config = Path.Combine(_dir, "node.yaml");
        File.WriteAllText(_config, string.Empty);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Run_NodeCa_PrintsItsCertificate()
    {
        var (code, output, error) = Run(["ca", "--state-dir", _dir, "--config", _config]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Is.EqualTo(CaPem));
            Assert.That(error, Is.Empty);
        });
    }

    [Test]
    public void Run_NodeServesTlsCertFromNodeYaml_FailsNamingTheFileInsteadOfPrintingAStaleCa()
    {
        File.WriteAllText(_config, "tlsCert: /etc/gradient/tls/wildcard.crt\ntlsKey: /etc/gradient/tls/wildcard.key\n");

        var (code, output, error) = Run(["ca", "--state-dir", _dir, "--config", _config]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("--tls-cert /etc/gradient/tls/wildcard.crt").And.Contain("not one from its own CA"));
        });
    }

    [Test]
    public void Run_NodeServesTlsDirFromEnvironment_PrintsTheCaThatServesTheHostsTheFolderDoesNotName()
    {
        // With --tls-dir alone the node CA serves every host no certificate in the folder names (it used to be refused here,
        // while those hosts got the folder's first certificate, one for another name).
        var (code, output, error) = Run(["ca", "--state-dir", _dir, "--config", _config], new() { ["GRADIENT_TLS_DIR"] = "/etc/gradient/hosts" });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Is.EqualTo(CaPem));
        });
    }

    [Test]
    public void Run_RunningNodeServesGivenCertificates_FailsInsteadOfPrintingTheCaAnEarlierStartLeft()
    {
        // newuser12: a node started with --tls-cert on its command line (tls ca cannot see that option), after an earlier
        // start on the node CA: tls ca printed that CA, which signs nothing the node serves. The proxy says what it
        // serves in <run-dir>/tls-names; GRADIENT_SOCKET (the client verbs' way to the node) points at that run dir.
        var runDir = Path.Combine(_dir, "run");
        Core.Routing.TlsNamesFile.Write(runDir, new Core.Routing.TlsNames(["*.gpu1.test", "gpu1.test"], NodeAuthorityServesTheRest: false));

        var (code, output, error) = Run(["ca", "--state-dir", _dir, "--config", _config], new() { ["GRADIENT_SOCKET"] = Path.Combine(runDir, "gradient.sock") });

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Is.Empty);
            Assert.That(
                error,
                Does.Contain($"the running node (run dir {runDir}) serves the certificates given to it (they name *.gpu1.test, gpu1.test), not one from its own CA")
                    .And.Contain($"{Path.Combine(_dir, "tls", "ca.crt")} was left by an earlier start"));
        });
    }

    [Test]
    public void Run_RunningNodeServesGivenCertificatesAndNeverMadeItsCa_SaysNoCaFileWasLeft()
    {
        // newuser16: a first start with --tls-cert and --tls-dir (no CA ever made) was told "<state>/tls/ca.crt was left by
        // an earlier start", naming a file that does not exist.
        var runDir = Path.Combine(_dir, "run");
        var state = Path.Combine(_dir, "fresh-state");
        Core.Routing.TlsNamesFile.Write(runDir, new Core.Routing.TlsNames(["*.gpu1.test", "gpu1.test"], NodeAuthorityServesTheRest: false));

        var (code, output, error) = Run(["ca", "--state-dir", state, "--config", _config, "--run-dir", runDir]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("serves the certificates given to it (they name *.gpu1.test, gpu1.test), not one from its own CA; clients trust the CA that issued those certificates"));
            Assert.That(error, Does.Not.Contain("left by an earlier start"));
        });
    }

    [Test]
    public void Run_RunningNodeServesTheRestFromItsCa_PrintsIt()
    {
        // --tls-dir alone: the node CA serves the hosts the folder does not name.
        Core.Routing.TlsNamesFile.Write(_dir, new Core.Routing.TlsNames(["web.gpu1.test"], NodeAuthorityServesTheRest: true));

        var (code, output, error) = Run(["ca", "--state-dir", _dir, "--config", _config, "--run-dir", _dir]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Is.EqualTo(CaPem));
        });
    }

    [Test]
    public void Run_NoCaInTheStateDir_SaysWhereItLookedAndThatTheNodesStateDirIsNeeded()
    {
        var empty = Path.Combine(_dir, "elsewhere");

        var (code, output, error) = Run(["ca", "--state-dir", empty, "--config", _config]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain($"no node CA in {Path.Combine(empty, "tls")} yet").And.Contain("pass the same --state-dir"));
        });
    }

    [Test]
    public async Task RunAsync_MemberWhoCannotReadTheRunDirsFileAsksTheNode_TheSameRefusalRootGets()
    {
        // Before: tls-names is 0600 (the run dir is open to every local user), so a socket-group member's tls ca read no
        // file and printed the CA while the node served given certificates alone; root got exit 1. Now tls ca asks the
        // running node (GET /v1/node/tls through its socket). The caller here sees no file: the node's run dir is not its.
        var nodeRun = Directory.CreateDirectory(Path.Combine(_dir, "node-run")).FullName;
        Core.Routing.TlsNamesFile.Write(nodeRun, new Core.Routing.TlsNames(["*.gpu1.test"], NodeAuthorityServesTheRest: false));
        var socket = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "sock")).FullName, "api.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        builder.Services.AddSingleton(new NodeOptions { RunDir = nodeRun, Listen = ["https://127.0.0.1:18143"] });
        await using var app = builder.Build();
        NodeTlsEndpoint.Map(app);
        await app.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var api = new ApiClient(socket);

        var code = await TlsCommand.RunAsync(
            ParsedArgs.Parse(["ca", "--state-dir", _dir, "--config", _config, "--run-dir", Path.Combine(_dir, "elsewhere")]),
            name => name == "GRADIENT_SOCKET" ? socket : null,
            output,
            error,
            (_, token) => TlsCommand.AskAsync(api, token));
        var said = await TlsCommand.AskAsync(api, CancellationToken.None);
        File.Delete(Core.Routing.TlsNamesFile.PathIn(nodeRun));
        var noProxy = await TlsCommand.AskAsync(api, CancellationToken.None);
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output.ToString(), Is.Empty, "not the CA");
            Assert.That(error.ToString(), Does.Contain($"the running node (run dir {nodeRun}) serves the certificates given to it (they name *.gpu1.test), not one from its own CA"));
            Assert.That(said?.Names?.NodeAuthorityServesTheRest, Is.False);
            Assert.That(noProxy, Is.Not.Null, "the node answers");
            Assert.That(noProxy!.Value.Names, Is.Null, "and says it knows nothing: the CA is printed, as before");
        });
    }

    private static (int Code, string Output, string Error) Run(string[] args, Dictionary<string, string>? env = null)
    {
        // No node answers: the run dir's file says what it serves, to those who may read it.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = TlsCommand.RunAsync(ParsedArgs.Parse(args), name => env?.GetValueOrDefault(name), output, error, (_, _) => Task.FromResult<(string, Core.Routing.TlsNames?)?>(null)).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }
}
