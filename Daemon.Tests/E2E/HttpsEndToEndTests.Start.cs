using System.Security.Cryptography.X509Certificates;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>What a new user meets first with https: the printed CA and the domain option.</summary>
internal sealed partial class HttpsEndToEndTests
{
    [Test]
    public async Task TlsCa_PrintedIntoABundle_EndsWithANewlineSoTheNextCertificateStaysReadable()
    {
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{FreePort()}"]);

        var ca = await _node.CliAsync("tls", "ca", "--state-dir", _node.StateDir);

        // `gradient-node tls ca > a.crt; cat a.crt b.crt > bundle.pem`: without the final newline b.crt's BEGIN line
        // followed the END line, and curl --cacert bundle.pem failed (exit 77) reading either certificate.
        Assert.That(ca.ExitCode, Is.Zero, ca.ToString());
        Assert.That(ca.Stdout, Does.EndWith("-----END CERTIFICATE-----\n"));
        Assert.That(File.ReadAllText(Path.Combine(_node.StateDir, "tls", "ca.crt")), Does.EndWith("-----END CERTIFICATE-----\n"));
        using var parsed = X509Certificate2.CreateFromPem(ca.Stdout);
        Assert.That(parsed.Subject, Does.Contain("Gradient Node CA"));
    }

    [Test]
    public async Task Start_CertificateWithoutAnHttpsListener_WarnsThatNothingServesIt()
    {
        using var ca = new TestCertificates();
        _node = GradientNodeProcess.Prepare();
        var (cert, key) = ca.Write(Directory.CreateDirectory(Path.Combine(_node.Root, "tls-files")).FullName, "a", "*.localhost");

        await _node.StartAsync(extraArgs: ["--tls-cert", cert, "--tls-key", key]);

        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(_node.Output.Contains("warning: a certificate is set (--tls-cert or --tls-dir) but no listener is https://", StringComparison.Ordinal)),
            TestTimeouts.Short,
            () => "the warning in: " + _node.Output);
    }

    [Test]
    public async Task Https_TlsDirNamingAnotherHostAndUnknownSniNames_DeploymentGetsItsOwnNameFromTheNodeCaAndGetAndNodeSaySo()
    {
        // With the default domain (localhost) every valid SNI label was issued a key: any client cycling names made
        // the node sign all day and evicted real clients' certificates. Only hosts the proxy routes are issued now.
        // And with a --tls-dir naming another host only (newuser5 F7), the deployment's clients got that host's
        // certificate (curl: (60) no alternative certificate subject name matches) while ls/get showed the https
        // endpoint and nothing said so: the node CA serves it now, and get and node name it.
        using var folderCa = new TestCertificates("Folder CA");
        var httpsPort = FreePort();
        _node = GradientNodeProcess.Prepare();
        var folder = Directory.CreateDirectory(Path.Combine(_node.Root, "tls-hosts")).FullName;
        folderCa.Write(folder, "other", "tlsother.localhost");
        await _node.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{httpsPort}", "--tls-dir", folder]);
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("tlsweb", replicas: 1));
        var status = await _node.WaitForStatusAsync("tlsweb", s => s.State == GradientNode.Core.Status.DeploymentState.Ready, "Ready");
        var ca = await _node.CliAsync("tls", "ca", "--state-dir", _node.StateDir);
        Assert.That(ca.ExitCode, Is.Zero, ca.ToString());
        using var authority = X509Certificate2.CreateFromPem(ca.Stdout);
        using var https = Client(httpsPort, authority, followRedirects: false);
        var last = System.Net.HttpStatusCode.NotFound;
        await TestTimeouts.WaitUntilAsync(
            async () => (last = (await https.GetAsync($"https://tlsweb.localhost:{httpsPort}/")).StatusCode) == System.Net.HttpStatusCode.OK,
            TestTimeouts.Container,
            $"tlsweb over https, trusting the node CA only (last {(int)last})");

        var unknown = new List<string[]>();
        for (var i = 0; i < 20; i++)
        {
            using var served = await OnDemandHttpsTests.HandshakeAsync(httpsPort, $"cycle{i}.localhost");
            unknown.Add(OnDemandHttpsTests.DnsNames(served));
        }

        using var known = await OnDemandHttpsTests.HandshakeAsync(httpsPort, "tlsweb.localhost");
        using var inFolder = await OnDemandHttpsTests.HandshakeAsync(httpsPort, "tlsother.localhost");
        var get = await _node.CliAsync("get", "tlsweb");
        var node = await _node.CliAsync("node");

        var warning = "no certificate given to the node (--tls-dir, --tls-cert) names tlsweb.localhost, so it is served one from the node's own CA";
        Assert.Multiple(() =>
        {
            Assert.That(unknown, Has.All.EquivalentTo(new[] { "*.localhost", "localhost" }), "an unknown name gets node.crt, not the folder's first certificate");
            Assert.That(OnDemandHttpsTests.DnsNames(known), Is.EqualTo(new[] { "tlsweb.localhost" }));
            Assert.That(OnDemandHttpsTests.DnsNames(inFolder), Is.EqualTo(new[] { "tlsother.localhost" }), "the folder's host keeps the folder's certificate");
            Assert.That(_node.Output, Does.Contain("Node CA issued a certificate for tlsweb.localhost").And.Not.Contain("certificate for cycle"));
            Assert.That(_node.Output, Does.Contain($"https certificates for hosts no certificate in {folder} names come from the node's own CA"));
            Assert.That(status.Endpoint, Is.EqualTo($"https://tlsweb.localhost:{httpsPort}/"), "the endpoint shown is the one that served above");
            Assert.That(status.Warnings, Has.Some.Contains(warning));
            Assert.That(get.Stdout, Does.Contain(warning), get.ToString());
            Assert.That(node.Stdout, Does.Contain("https: 1 deployment host(s) that no certificate given to the node (--tls-dir, --tls-cert) names are served one from the node's own CA")
                .And.Contain(": tlsweb.localhost"), node.ToString());
        });
    }

    [TestCase("https", "a..b")]
    [TestCase("http", "a..b")]
    [TestCase("https", "-gpu1.example.com")]
    public async Task Start_DomainNotAHostName_ExitsTwoNamingTheDomain(string scheme, string domain)
    {
        _node = GradientNodeProcess.Prepare();

        var result = await _node.CliAsync("up", "--specs-dir", _node.SpecsDir, "--state-dir", _node.StateDir, "--run-dir", _node.RunDir,
            "--docker-host", TestEnvironment.DockerHost, "--node-name", _node.NodeName,
            "--listen", $"{scheme}://127.0.0.1:{FreePort()}", "--domain", domain);

        // Over https it used to stop with .NET's "IDN labels must be between 1 and 63 characters long."; over http it
        // started and showed endpoints such as http://NAME.a..b:8080/ that no client can resolve.
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"--domain wants a host name").And.Contain($"got '{domain}'").And.Not.Contain("IDN"));
    }
}
