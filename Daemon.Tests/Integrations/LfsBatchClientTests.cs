using System.Net;
using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// A whole git-lfs fetch over HTTP: LibGit2Sharp clones through <c>git http-backend</c>, the LFS batch API of
/// <see cref="FakeGitLfsServer"/> serves the objects the real <c>git lfs</c> wrote. Basic auth, per-object 404s,
/// redirecting and foreign hrefs; the "other host" (another loopback port) records what it was sent.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class LfsBatchClientTests
{
    private const string User = "gradient";
    private const string Password = "pw-5e1b-secret";
    private string _root = null!;
    private LfsTestRepository _repo = null!;
    private FakeGitLfsServer _server = null!;

    [SetUp]
    public async Task SetUp()
    {
        _root = Directory.CreateTempSubdirectory("gn-lfshttp-").FullName;
        _repo = await LfsTestRepository.CreateAsync(Path.Combine(_root, "repos"));
        _server = await FakeGitLfsServer.StartAsync(Path.Combine(_root, "repos"), User, Password);
    }

    [TearDown]
    public async Task TearDown()
    {
        // Null when SetUp stopped early (git-lfs missing: ignored here, failed on CI); that reason must stay the one shown.
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private string Target => Path.Combine(_root, "out");

    [Test]
    public async Task FetchAsync_HttpRemoteWithBasicAuth_LfsContentLandsVerified()
    {
        await FetchAsync(Password);

        Assert.That(GitFetcherTests.Sha256(Path.Combine(Target, "weights.bin")), Is.EqualTo(_repo.WeightsSha256));
        Assert.That(GitFetcherTests.Sha256(Path.Combine(Target, "sub", "other.bin")), Is.EqualTo(_repo.OtherSha256));
        Assert.That(LfsObjectFetcher.FindPointers(Target), Is.Empty);
        Assert.That(_server.Requests, Has.Member("POST /model.git/info/lfs/objects/batch"));
        Assert.That(_server.OtherHostRequests, Is.Empty);
        Assert.That(await File.ReadAllTextAsync(Path.Combine(Target, ".git", "config")), Does.Not.Contain(Password));
    }

    [Test]
    public void FetchAsync_WrongPassword_FailsSayingAuthenticationFailedWithoutThePassword()
    {
        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync("wrong-" + Password));

        // A git-lfs integration's credentials are accessKeyId and secretAccessKey: before, "check the repository's username and password".
        Assert.That(ex!.Message, Does.Contain("authentication failed: check accessKeyId and secretAccessKey (secret:hf-token)"));
        Assert.That(ex.Message, Does.Not.Contain(Password));
        Assert.That(ex.Permanent, Is.True);
    }

    [Test]
    public void FetchAsync_NoRepositoryAtTheUrl_SaysSoAndToCheckTheUrl()
    {
        var fetcher = new GitFetcher(GitRemotePolicy.NoLocalRemotes);
        var url = $"{_server.BaseUrl}/nomodel.git";

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            await fetcher.FetchAsync(new GitSource(url, "main", User, Password), Target, new FetchProgress(TimeProvider.System), timeout.Token);
        });

        // Before: "git clone URL failed: unexpected http status code: 404" and no more.
        Assert.That(ex!.Message, Does.StartWith($"git clone {url} failed: ").And.EndWith($" (no repository at {url}: check the url)"));
        Assert.That(ex.Permanent, Is.True);
    }

    [Test]
    public void FetchAsync_LfsServerRefusesTheCredentials_FailsNamingTheBatchApi()
    {
        _server.LfsPassword = "something-else";

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(Password));

        Assert.That(ex!.Message, Does.Contain($"the LFS batch API at {_server.BaseUrl}/model.git/info/lfs/objects/batch refused the credentials (HTTP 401: Credentials needed): check accessKeyId and secretAccessKey (secret:hf-token)"));
        Assert.That(ex.Message, Does.Not.Contain(Password));
    }

    [Test]
    public void FetchAsync_ObjectMissingOnTheServer_FailsNamingTheFileAndOid()
    {
        _server.Missing[_repo.WeightsOid] = true;

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(Password));

        Assert.That(ex!.Message, Does.Contain($"weights.bin (oid {_repo.WeightsOid}): the LFS server answered 404: Object does not exist"));
        Assert.That(ex.Message, Does.Not.Contain("other.bin"));
    }

    [Test]
    public async Task FetchAsync_HrefRedirectsToAnotherHost_ContentLandsAndThatHostGetsNoCredentialsOrBatchHeaders()
    {
        _server.Hrefs = FakeGitLfsServer.HrefMode.RedirectToOtherHost;

        await FetchAsync(Password);

        Assert.That(GitFetcherTests.Sha256(Path.Combine(Target, "weights.bin")), Is.EqualTo(_repo.WeightsSha256));
        Assert.That(_server.OtherHostRequests, Has.Count.EqualTo(2));
        Assert.That(_server.OtherHostRequests, Has.All.EndsWith(" Authorization= X-Lfs-Token="));
    }

    [Test]
    public async Task FetchAsync_HrefOnAnotherHost_GetsTheBatchHeaderButNoCredentials()
    {
        _server.Hrefs = FakeGitLfsServer.HrefMode.OnOtherHost;

        await FetchAsync(Password);

        Assert.That(GitFetcherTests.Sha256(Path.Combine(Target, "sub", "other.bin")), Is.EqualTo(_repo.OtherSha256));
        Assert.That(_server.OtherHostRequests, Has.Count.EqualTo(2));
        Assert.That(_server.OtherHostRequests, Has.All.EndsWith($" Authorization= X-Lfs-Token={FakeGitLfsServer.LfsToken}"));
    }

    [Test]
    public void FetchAsync_GitRedirectsToAnotherHost_CredentialsNeverSentThere()
    {
        _server.RedirectGitToOtherHost = true;

        Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(Password));

        Assert.That(_server.OtherHostRequests, Is.Not.Empty, "libgit2 followed the redirect");
        Assert.That(_server.OtherHostRequests, Has.All.Contains(" Authorization= "));
    }

    [TestCase(HttpStatusCode.OK, TestName = "LocateAsync_BatchAnswerWithoutEnd_FailsHavingReadAtMostTheLimit")]
    [TestCase(HttpStatusCode.InternalServerError, TestName = "LocateAsync_ErrorAnswerWithoutEnd_FailsHavingReadAtMostItsLimit")]
    public void LocateAsync_AnswerWithoutEnd_FailsHavingReadAtMostTheLimit(HttpStatusCode status)
    {
        // The LFS server is the spec author's choice: a batch (or error) answer that never ends is not held in memory.
        var body = new EndlessStream(256L * 1024 * 1024, (byte)' ');
        using var http = new HttpMessageInvoker(new AnswerHandler(status, body));
        var client = new LfsBatchClient(http, new GitCredentials(new GitSource("http://lfs.test/model.git", null, User, Password)), new Uri("http://lfs.test/model.git/info/lfs/"));

        var failure = Assert.ThrowsAsync<IntegrationFetchException>(() => client.LocateAsync([new LfsPointer(new string('a', 64), 1)], CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("the LFS batch API at http://lfs.test/model.git/info/lfs/objects/batch failed"));
        Assert.That(body.BytesRead, Is.LessThanOrEqualTo(LfsBatchClient.MaxBatchAnswerBytes + (64 * 1024)));
    }

    private async Task FetchAsync(string password)
    {
        var fetcher = new GitFetcher(GitRemotePolicy.NoLocalRemotes);
        using var timeout = new CancellationTokenSource(TestTimeouts.Short);
        await fetcher.FetchAsync(new GitSource($"{_server.BaseUrl}/model.git", "main", User, password) { Fields = CredentialFields.Integration("hf-token") }, Target, new FetchProgress(TimeProvider.System), timeout.Token);
    }

    private sealed class AnswerHandler(HttpStatusCode status, Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StreamContent(body) });
    }
}
