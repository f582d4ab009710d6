using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class UnknownNameTests
{
    [Test]
    public void Registry_NoneStored_SaysHowToAddOne() =>
        Assert.That(
            UnknownName.Registry("ghost", []),
            Is.EqualTo("no registry connection 'ghost' (this node has no registry connections yet; add one: gradient-node registries add NAME --url URL --username USER --password-stdin)"));

    [Test]
    public void Registry_CloseName_SuggestsIt() =>
        Assert.That(
            UnknownName.Registry("tem", ["team", "other"]),
            Is.EqualTo("no registry connection 'tem'; did you mean 'team'? (gradient-node registries ls lists them)"));

    [Test]
    public void Secret_NoCloseName_ListsTheNamesInOrder() =>
        Assert.That(
            UnknownName.Secret("ghost", ["token", "db-password"]),
            Is.EqualTo("no secret 'ghost' (there are: db-password, token; gradient-node secrets ls)"));

    [Test]
    public void Secret_ManyNames_ListsTenThenAnEllipsis() =>
        Assert.That(
            UnknownName.Secret("ghost", Enumerable.Range(10, 12).Select(i => $"s{i}")),
            Does.EndWith("s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, …; gradient-node secrets ls)"));

    [Test]
    public void Secret_NoneStored_SaysHowToSetOne() =>
        Assert.That(UnknownName.Secret("ghost", []), Does.Contain("gradient-node secrets set NAME"));

    [Test]
    public void Model_CloseName_SuggestsIt() =>
        Assert.That(UnknownName.Model("tny", ["tiny", "llama"]), Is.EqualTo("no model 'tny'; did you mean 'tiny'? (gradient-node models ls lists them)"));

    [Test]
    public void Model_StoreEmpty_SaysHowToAddOne() =>
        Assert.That(UnknownName.Model("tiny", []), Is.EqualTo("no model 'tiny' (the model store is empty; add one: gradient-node models add ID --from DIR)"));

    [Test]
    public void Deployment_TypoOfASlug_SuggestsTheSlug() =>
        Assert.That(
            UnknownName.Deployment("Web-Dmeo", ["web-demo", "other"]),
            Is.EqualTo("no deployment 'Web-Dmeo' on this node; did you mean 'web-demo'? (gradient-node ls lists them)"));

    [Test]
    public void Deployment_NoCloseSlug_NamesNoOther() =>
        Assert.That(UnknownName.Deployment("nosuch", ["web-demo", "other"]), Is.EqualTo("no deployment 'nosuch' on this node"));
}
