using GradientNode.Core.Integrations;
using LibGit2Sharp;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class GitCredentialsTests
{
    [TestCase("https://git.example.com/org/repo.git/info/refs?service=git-upload-pack", false)]
    [TestCase("https://git.example.com:443/other/path", false)]
    [TestCase("https://collector.example.net/org/repo.git", true)]
    [TestCase("http://git.example.com/org/repo.git", true)]
    [TestCase("https://git.example.com:8443/org/repo.git", true)]
    [TestCase("https://git.example.com.evil.test/org/repo.git", true)]
    [TestCase("ssh://git.example.com/org/repo.git", true)]
    public void Provider_AskedByLibgit2_AnswersOnlyForTheRepositorysOwnOrigin(string url, bool refused)
    {
        var credentials = new GitCredentials(new GitSource("https://git.example.com/org/repo.git", null, "bot", "tok-9d2c-secret"));

        var answer = credentials.Provider(CancellationToken.None)(url, null, SupportedCredentialTypes.UsernamePassword);

        Assert.That(answer, refused ? Is.Null : Is.InstanceOf<UsernamePasswordCredentials>());
        if (answer is UsernamePasswordCredentials given)
        {
            Assert.That((given.Username, given.Password), Is.EqualTo(("bot", "tok-9d2c-secret")));
        }
    }

    [Test]
    public void For_NoPasswordOrNotHttp_NoCredentials()
    {
        Assert.That(new GitCredentials(new GitSource("https://h/r.git", null, "u", null)).For("https://h/r.git"), Is.Null);
        Assert.That(new GitCredentials(new GitSource("ssh://h/r.git", null, "u", "p")).For("ssh://h/r.git"), Is.Null);
        Assert.That(new GitCredentials(new GitSource("http://127.0.0.1:9418/r.git", null, null, "p")).For("http://127.0.0.1:9418/x"), Is.EqualTo(("gradient", "p")));
    }
}
