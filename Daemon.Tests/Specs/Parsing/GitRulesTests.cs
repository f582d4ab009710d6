using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>Git refs and URLs reach git's command line: they are checked at parse time, at file:line:col.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class GitRulesTests
{
    [Test]
    public void Parse_RefThatIsAnOption_ReportsTheRefAtItsPosition()
    {
        var result = SpecParser.Parse("spec.yaml", Legacy("https://example.invalid/r.git", "--pathspec-from-file=/etc/shadow"));

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.yaml:11:12: repositories.repositories[0].ref: must not start with '-'" }));
    }

    [TestCase("main")]
    [TestCase("release/1.2")]
    [TestCase("v1.0.0")]
    [TestCase("0123456789abcdef0123456789abcdef01234567")]
    public void Parse_UsualRefs_AreAccepted(string reference) =>
        Assert.That(SpecParser.Parse("spec.yaml", Legacy("https://example.invalid/r.git", reference)).Errors, Is.Empty);

    [TestCase("'a b'", "must not contain whitespace or control characters")]
    [TestCase("\"a\\tb\"", "must not contain whitespace or control characters")]
    [TestCase("a..b", "check-ref-format")]
    [TestCase("HEAD@{1}", "check-ref-format")]
    [TestCase("x:y", "check-ref-format")]
    [TestCase("a.lock", "check-ref-format")]
    [TestCase("/main", "check-ref-format")]
    [TestCase(".hidden", "check-ref-format")]
    public void Parse_BadRefs_AreRejected(string reference, string why) =>
        Assert.That(SpecParser.Parse("spec.yaml", Legacy("https://example.invalid/r.git", reference)).Errors.Single().ToString(),
            Does.StartWith("spec.yaml:11:12: repositories.repositories[0].ref: ").And.Contain(why));

    [TestCase("https://example.invalid/r.git")]
    [TestCase("http://127.0.0.1:8080/r.git")]
    [TestCase("ssh://git@example.invalid/r.git")]
    [TestCase("git://example.invalid/r.git")]
    [TestCase("file:///srv/git/r.git")]
    [TestCase("/srv/git/r.git")]
    [TestCase("git@github.com:org/r.git")]
    public void Parse_GitUrls_AreAccepted(string url)
    {
        Assert.That(SpecParser.Parse("spec.yaml", Legacy(url, "main")).Errors, Is.Empty);
        Assert.That(SpecParser.Parse("spec.yaml", GitLfs(url)).Errors, Is.Empty);
    }

    [TestCase("--upload-pack=touch /tmp/x", "must not start with '-'")]
    [TestCase("-oProxyCommand=x", "must not start with '-'")]
    [TestCase("ext::sh", "must be a git URL")]
    [TestCase("ftp://example.invalid/r.git", "must be a git URL")]
    [TestCase("'https://a b/r.git'", "whitespace")]
    [TestCase("relative/path", "must be a git URL")]
    public void Parse_BadGitUrls_AreRejectedWithoutEchoingThem(string url, string why)
    {
        var legacy = SpecParser.Parse("spec.yaml", Legacy(url, "main")).Errors.Single().ToString();
        var lfs = SpecParser.Parse("spec.yaml", GitLfs(url)).Errors.Single().ToString();

        Assert.That(legacy, Does.StartWith("spec.yaml:10:12: repositories.repositories[0].url: ").And.Contain(why));
        Assert.That(lfs, Does.StartWith("spec.yaml:9:10: integrations[0].url: ").And.Contain(why));
        Assert.That(legacy + lfs, Does.Not.Contain(url.Trim('\'')));
    }

    [TestCase("https://bot:hunter2@example.invalid/r.git")]
    [TestCase("http://bot:@127.0.0.1:8080/r.git")]
    [TestCase("ssh://git:hunter2@example.invalid/r.git")]
    public void Parse_UrlWithPassword_RejectedAtTheUrlWithoutEchoingIt(string url)
    {
        var repository = SpecParser.Parse("spec.yaml", Legacy(url, "main")).Errors.Select(e => e.ToString()).ToList();
        var integration = SpecParser.Parse("spec.yaml", GitLfs(url)).Errors.Select(e => e.ToString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(repository, Has.Count.EqualTo(1));
            Assert.That(repository[0], Does.StartWith("spec.yaml:").And.Contain("repositories.repositories[0].url: must not hold a password")
                .And.Contain("`username: USER` and `password: secret:NAME`").And.Contain("gradient-node secrets set NAME"));
            Assert.That(integration, Has.Count.EqualTo(1));
            Assert.That(integration[0], Does.Contain(".url: must not hold a password").And.Contain("`accessKeyId: USER` and `secretAccessKey: secret:NAME`"));
            Assert.That(repository.Concat(integration), Has.None.Contain("hunter2").And.None.Contain("bot"), "the error never echoes the URL");
        });
    }

    [Test]
    public void Parse_UrlWithUserOnly_IsAccepted() =>
        Assert.That(SpecParser.Parse("spec.yaml", Legacy("https://bot@example.invalid/r.git", "main")).Errors, Is.Empty);

    private static string Legacy(string url, string reference) =>
        $"image: x\nport: 80\nresources:\n  instanceType: C4\nrepositories:\n  dataset: d\n  repositories:\n"
        + $"    - name: r\n      username: u\n      url: {url}\n      ref: {reference}\n";

    private static string GitLfs(string url) =>
        $"apiVersion: v1\nname: x\nimage: y\nresources:\n  machineType: C4\n  ports: [8080]\nintegrations:\n  - type: git-lfs\n    url: {url}\n    name: m\n    path: /opt/m\n";
}
