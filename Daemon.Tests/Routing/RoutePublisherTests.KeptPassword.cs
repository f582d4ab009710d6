using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>
/// A re-applied spec whose <c>basicAuthKey</c> names a secret that cannot be resolved (a typo) keeps the endpoint's last
/// password while the last good version serves; a secret removed or changed under it still locks everyone out.
/// </summary>
internal sealed partial class RoutePublisherTests
{
    [Test]
    public async Task Publish_ReappliedWithABasicAuthKeyThatDoesNotResolve_KeepsThePasswordItServedWith()
    {
        // Before: the route switched to an unguessable value at once, so the old replicas, still serving, answered 401 to
        // the right password too (found by the new-user tryout).
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, specs) = await NewAsync(("app.yaml", Spec("app", "basicAuthKey: secret:pw")));
        statuses.Set("app", Status("app"));
        publisher.Publish();

        await ReapplyAsync(specs, "app", "basicAuthKey: secret:pw-typo");
        statuses.Set("app", Status("app") with { Message = "refers to secret 'pw-typo', which does not exist" });
        publisher.Publish();

        var route = Route(store, "app");
        Assert.Multiple(() =>
        {
            Assert.That(route?.ExpectedAuthorization, Is.EqualTo(BasicHeader(Password)));
            Assert.That(route?.AuthorizationSecret, Is.EqualTo("pw"), "the name of the secret the kept password is from");
        });
    }

    [Test]
    public async Task Publish_KeptPasswordsSecretRemovedThen_RouteFailsClosed()
    {
        var (publisher, store, statuses, _) = await PublishedThenTypoAsync("pw-typo");

        _secrets.Remove("pw");
        statuses.Set("app", Status("app") with { Message = "typo, and pw gone" });
        publisher.Publish();

        Assert.That(Route(store, "app")?.ExpectedAuthorization, Is.Not.Null.And.Not.EqualTo(BasicHeader(Password)));
    }

    [Test]
    public async Task Publish_KeptPasswordsSecretChangedThen_RouteFailsClosed()
    {
        var (publisher, store, statuses, _) = await PublishedThenTypoAsync("pw-typo");

        _secrets.Set("pw", "another-pw"u8);
        statuses.Set("app", Status("app") with { Message = "typo, pw changed" });
        publisher.Publish();

        var authorization = Route(store, "app")?.ExpectedAuthorization;
        Assert.That(authorization, Is.Not.Null.And.Not.EqualTo(BasicHeader(Password)).And.Not.EqualTo(BasicHeader("another-pw")));
    }

    [Test]
    public async Task Publish_PublicDeploymentReappliedWithABasicAuthKeyThatDoesNotResolve_FailsClosed()
    {
        var (publisher, store, statuses, specs) = await NewAsync(("app.yaml", Spec("app", string.Empty)));
        statuses.Set("app", Status("app"));
        publisher.Publish();

        await ReapplyAsync(specs, "app", "basicAuthKey: secret:pw-typo");
        statuses.Set("app", Status("app") with { Message = "typo" });
        publisher.Publish();

        Assert.That(Route(store, "app")?.ExpectedAuthorization, Is.Not.Null, "never open: the spec asks for a password");
    }

    [Test]
    public async Task Publish_DaemonRestartedWithTheTypoInPlace_KeepsThePasswordFromTheTableWrittenBefore()
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, _) = await NewAsync(("app.yaml", Spec("app", "basicAuthKey: secret:pw-typo")));
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [new DeploymentRoute("app", "app", true, [], BasicHeader(Password), AuthorizationSecret: "pw")]));
        statuses.Set("app", Status("app"));

        publisher.Publish();

        Assert.That(Route(store, "app")?.ExpectedAuthorization, Is.EqualTo(BasicHeader(Password)));
    }

    [Test]
    public async Task Publish_TypoFixed_TheNamedSecretsPasswordAtOnce()
    {
        _secrets.Set("pw-new", "new-pw"u8);
        var (publisher, store, statuses, specs) = await PublishedThenTypoAsync("pw-nwe");

        await ReapplyAsync(specs, "app", "basicAuthKey: secret:pw-new");
        statuses.Set("app", Status("app") with { Message = "rolling" });
        publisher.Publish();

        Assert.That(Route(store, "app")?.ExpectedAuthorization, Is.EqualTo(BasicHeader("new-pw")));
    }

    /// <summary>
    /// A publisher of <c>app</c> published guarded by secret <c>pw</c> (<c>s3cret-pw</c>), then re-applied with
    /// <c>basicAuthKey: secret:<paramref name="typo"/></c> and published again while its status says <c>typo</c>.
    /// </summary>
    private async Task<(RoutePublisher Publisher, RouteTableStore Store, StatusStore Statuses, Core.Catalog.SpecDirectoryWatcher Specs)> PublishedThenTypoAsync(string typo)
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, specs) = await NewAsync(("app.yaml", Spec("app", "basicAuthKey: secret:pw")));
        statuses.Set("app", Status("app"));
        publisher.Publish();
        await ReapplyAsync(specs, "app", $"basicAuthKey: secret:{typo}");
        statuses.Set("app", Status("app") with { Message = "typo" });
        publisher.Publish();
        return (publisher, store, statuses, specs);
    }

    private async Task ReapplyAsync(Core.Catalog.SpecDirectoryWatcher specs, string name, string extra)
    {
        await File.WriteAllTextAsync(Path.Combine(_specs, name + ".yaml"), Spec(name, extra));
        await specs.ScanAsync(CancellationToken.None);
    }
}
