using System.Text;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class EndpointAuthorizationTests
{
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-endpoint-auth-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void Expected_PublicEndpoint_Null() => Assert.That(Authorization(new SecretStore(_state)).Expected(Spec()), Is.Null);

    [Test]
    public void Expected_SecretSet_BasicHeaderForPaperspace()
    {
        var store = new SecretStore(_state);
        store.Set("pw", "hunter2"u8);

        var header = Authorization(store).Expected(Spec("basicAuthKey: secret:pw"));

        Assert.That(header, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:hunter2"))));
    }

    [Test]
    public void Expected_SecretMissing_Null() =>
        Assert.That(Authorization(new SecretStore(_state)).Expected(Spec("basicAuthKey: secret:pw")), Is.Null);

    private EndpointAuthorization Authorization(SecretStore store) =>
        new(new SecretSnapshots(store, _state), new VersionHasher(new RestartGenerations(_state)));
}
