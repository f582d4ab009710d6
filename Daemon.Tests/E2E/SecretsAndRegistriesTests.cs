using System.Diagnostics;
using System.Net;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Stored secrets and registry connections, against a real password-protected registry.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class SecretsAndRegistriesTests
{
    private const string SecretValue = "s3cr3t-V4lue-that-must-not-leak";
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Registry_StoredConnection_PullsThePrivateImage()
    {
        var registry = TestRegistry.Require();
        await AddRegistryAsync("private", registry.Address, registry.Username, registry.Password);

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("private app", replicas: 1, image: registry.PrivateImage, top: "containerRegistry: private"));

        var status = await _node.WaitForStatusAsync("private app", s => s.State == DeploymentState.Ready, "Ready from the private registry");
        Assert.That(status.NotActedOn, Has.None.Contain("containerRegistry"));
        var list = await _node.CliAsync("registries", "ls");
        Assert.That(list.Stdout, Does.Contain("private").And.Contain(registry.Username).And.Not.Contain(registry.Password));
        var test = await _node.CliAsync("registries", "test", "private");
        Assert.That(test.ExitCode, Is.Zero, test.ToString());
        AssertNoLeak(registry.Password, list, test);
    }

    [Test]
    public async Task Registry_UnknownConnectionName_FailsNamingIt()
    {
        var registry = TestRegistry.Require();

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("no conn", replicas: 1, image: registry.PrivateImage, top: "containerRegistry: nowhere"));

        var status = await _node.WaitForStatusAsync("no conn", s => s.State == DeploymentState.Failed, "Failed");
        Assert.That(status.Message, Does.Contain("containerRegistry 'nowhere'"));
        Assert.That(await _node.ContainersAsync(_engine, "no-conn", runningOnly: false), Is.Empty);
    }

    [Test]
    public async Task Registry_WrongPassword_FailsWithTheRegistrysReasonAndNoLeak()
    {
        var registry = TestRegistry.Require();
        const string wrong = "definitely-wrong-password-123";
        await AddRegistryAsync("badpass", registry.Address, registry.Username, wrong);

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("bad pass", replicas: 1, image: registry.PrivateImage, top: "containerRegistry: badpass"));

        var status = await _node.WaitForStatusAsync("bad pass", s => s.State == DeploymentState.Failed, "Failed");
        Assert.That(status.Message, Does.Contain("refused by its registry with the credentials of 'badpass'").And.Contain("(check them: gradient-node registries test badpass)"));
        var test = await _node.CliAsync("registries", "test", "badpass");
        Assert.That(test.ExitCode, Is.EqualTo(1), test.ToString());
        Assert.That(test.Stderr, Does.Contain("wrong username or password"));
        Assert.That(_node.Output + status.Message, Does.Not.Contain(wrong));
        AssertNoLeak(wrong, test, await _node.CliAsync("get", "bad pass", "-o", "json"));
    }

    [Test]
    public async Task Registry_MissingTag_FailsAsNotFound()
    {
        var registry = TestRegistry.Require();
        await AddRegistryAsync("private", registry.Address, registry.Username, registry.Password);
        // The tag is what follows the last ':' after the last '/' (the registry's port has a ':' too, and may hold a 1).
        var image = registry.PrivateImage;
        var tag = image.IndexOf(':', image.LastIndexOf('/') + 1);
        Assert.That(tag, Is.GreaterThan(0), $"the test registry's image has a tag: {image}");
        var missing = image[..tag] + ":no-such-tag";

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("no tag", replicas: 1, image: missing, top: "containerRegistry: private"));

        var status = await _node.WaitForStatusAsync("no tag", s => s.State == DeploymentState.Failed, "Failed");
        Assert.That(status.Message, Does.Contain("no-such-tag").And.Contain("not found").IgnoreCase);
    }

    [Test]
    public async Task Secret_InEnv_ReachesTheContainerAndLeaksNowhereNotEvenInWhatItEchoes()
    {
        var set = await _node.CliWithInputAsync(SecretValue + "\n", "secrets", "set", "api_token");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("with secret", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:api_token\n  - name: PLAIN\n    value: visible", top: "command: [\"/bin/sh\", \"-c\", \"echo token=$TOKEN; exec /bin/serve\"]"));
        await _node.WaitForStatusAsync("with secret", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("with-secret");

        using var http = new HttpClient();
        var env = await (await http.SendAsync(_node.ProxyRequest("with-secret", "/cgi-bin/env"))).Content.ReadAsStringAsync();
        Assert.That(env, Does.Contain($"TOKEN={SecretValue}").And.Contain("PLAIN=visible"));

        CliResult logs = null!;
        await TestTimeouts.WaitUntilAsync(
            async () => (logs = await _node.CliAsync("logs", "with secret")).Stdout.Contains("token=", StringComparison.Ordinal),
            TestTimeouts.Short,
            "the replica's echo in logs");
        Assert.That(logs.Stdout, Does.Contain("token=***"), "what the replica echoes of its secret is masked");
        var outputs = new[]
        {
            logs,
            await _node.CliAsync("get", "with secret", "-o", "json"),
            await _node.CliAsync("get", "with secret", "-o", "yaml"),
            await _node.CliAsync("get", "with secret"),
            await _node.CliAsync("ls", "-o", "json"),
            await _node.CliAsync("secrets", "ls"),
        };
        AssertNoLeak(SecretValue, outputs);
        Assert.That(outputs[5].Stdout, Does.Contain("api_token"));
        Assert.That(_node.Output, Does.Not.Contain(SecretValue));
        using var api = _node.SocketClient();
        Assert.That(await api.GetStringAsync("v1/secrets"), Does.Not.Contain(SecretValue));
        Assert.That(await api.GetStringAsync("metrics"), Does.Not.Contain(SecretValue));
    }

    [Test]
    public async Task Secret_Missing_StartsNothingThenHealsWhenCreated()
    {
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("needs secret", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:later_secret"));

        var failed = await _node.WaitForStatusAsync("needs secret", s => s.State == DeploymentState.Failed, "Failed for the missing secret");
        Assert.That(failed.Message, Does.Contain("env[TOKEN] refers to secret 'later_secret', which does not exist"));
        Assert.That(await _node.ContainersAsync(_engine, "needs-secret", runningOnly: false), Is.Empty);

        var set = await _node.CliWithInputAsync("now-here", "secrets", "set", "later_secret");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());

        await _node.WaitForStatusAsync("needs secret", s => s.State == DeploymentState.Ready, "Ready once the secret exists");
    }

    [Test]
    public async Task BasicAuthKey_FromASecret_ProtectsTheEndpointAndTheAppNeverSeesTheKey()
    {
        await _node.CliWithInputAsync("my_password", "secrets", "set", "endpoint_key");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("locked", replicas: 1, top: "basicAuthKey: secret:endpoint_key"));
        await _node.WaitForStatusAsync("locked", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("locked", code => code == HttpStatusCode.Unauthorized);
        using var http = new HttpClient();

        using var anonymous = await http.SendAsync(_node.ProxyRequest("locked", "/"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.Contain("Basic realm=\"locked\""));

        using var wrong = _node.ProxyRequest("locked", "/");
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:nope")));
        Assert.That((await http.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var right = _node.ProxyRequest("locked", "/cgi-bin/env");
        right.Headers.Authorization = new("Basic", "cGFwZXJzcGFjZTpteV9wYXNzd29yZA==");
        using var ok = await http.SendAsync(right);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ok.Content.ReadAsStringAsync(), Does.Not.Contain("HTTP_AUTHORIZATION"));
        Assert.That(_node.Output, Does.Not.Contain("my_password").And.Not.Contain("cGFwZXJzcGFjZTpteV9wYXNzd29yZA=="));
    }

    [Test]
    public async Task Stores_SecretAndRegistryAdded_FilesAreOwnerOnly()
    {
        await _node.CliWithInputAsync("v", "secrets", "set", "mode_check");
        await AddRegistryAsync("modes", "127.0.0.1:5999", "u", "p");

        Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "secrets", "mode_check")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "registries", "modes.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "secrets")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    private async Task AddRegistryAsync(string name, string url, string user, string password)
    {
        var result = await _node.CliWithInputAsync(password + "\n", "registries", "add", name, "--url", url, "--username", user, "--password-stdin");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    private static void AssertNoLeak(string secret, params CliResult[] results)
    {
        foreach (var result in results)
        {
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(secret), result.ToString());
        }
    }
}
