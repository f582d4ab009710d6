using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class WarningLocatorTests
{
    private const string Deployment = """
        name: app
        image: nginx:1
        env:
          - name: A
            value: plain
          - name: TOKEN
            value: secret:ephemeral:k
        integrations:
          - name: w
            type: s3
            url: s3://b/p
            secretAccessKey: secret:ephemeral:s
        resources: {machineType: C44, ports: [80]}
        models:
          - id: tiny:2
        autoscaling:
          enabled: true
        """;

    [TestCase("warning: env[TOKEN]: secret:ephemeral:k …", "app.yaml:7:12: warning: env[TOKEN]: secret:ephemeral:k …")]
    [TestCase("warning: integrations[w].secretAccessKey: …", "app.yaml:12:22: warning: integrations[w].secretAccessKey: …")]
    [TestCase("warning: resources.machineType: 'C44' …", "app.yaml:13:26: warning: resources.machineType: 'C44' …")]
    [TestCase("warning: region: not written", "app.yaml: warning: region: not written")]
    [TestCase("warning: models[tiny:2].id: model 'tiny:2' …", "app.yaml:15:9: warning: models[tiny:2].id: model 'tiny:2' …")] // named by its id
    [TestCase("warning: models[tiny:2]: not exported: …", "app.yaml:15:5: warning: models[tiny:2]: not exported: …")] // export's: the item itself, by its id
    [TestCase("warning: integrations[0]: not exported: …", "app.yaml:9:5: warning: integrations[0]: not exported: …")] // export's: an item, by index
    [TestCase("warning: autoscaling: not exported: …", "app.yaml:16:1: warning: autoscaling: not exported: …")] // a mapping: at its key
    [TestCase("not a warning", "app.yaml: not a warning")]
    public void Locate_DeploymentField_HeadedByWhereItsValueWasWritten(string warning, string expected) =>
        Assert.That(WarningLocator.Read("app.yaml", Deployment).Locate(warning), Is.EqualTo(expected));

    [Test]
    public void Locate_WorkflowJobTakingTheDefaults_PointsAtTheDefault()
    {
        var locator = WarningLocator.Read("wf.yaml", "defaults:\n  env: {T: 'secret:ephemeral:k'}\n  resources: {instance-type: tiny}\njobs:\n  a: {uses: container@v1, with: {image: x}}\n");

        Assert.Multiple(() =>
        {
            Assert.That(locator.Locate("warning: jobs.a.env.T: …"), Is.EqualTo("wf.yaml:2:12: warning: jobs.a.env.T: …"));
            Assert.That(locator.Locate("warning: jobs.a: instance-type 'tiny' …"), Is.EqualTo("wf.yaml:3:30: warning: jobs.a: instance-type 'tiny' …"));
        });
    }

    [Test]
    public void Locate_TextThatDoesNotLoad_FileAlone() =>
        Assert.That(WarningLocator.Read("bad.yaml", "a: [\n").Locate("warning: a: x"), Is.EqualTo("bad.yaml: warning: a: x"));

    [Test]
    public void LocateInFileOrder_WarningsOfFieldsWrittenInAnotherOrder_SortedByLineThenColumnUnplacedLast()
    {
        var located = WarningLocator.Read("app.yaml", Deployment).LocateInFileOrder(
            ["warning: resources.machineType: m", "warning: nowhere: n", "warning: integrations[w].secretAccessKey: s", "warning: env[TOKEN]: t"]);

        Assert.That(located, Is.EqualTo(new[]
        {
            "app.yaml:7:12: warning: env[TOKEN]: t",
            "app.yaml:12:22: warning: integrations[w].secretAccessKey: s",
            "app.yaml:13:26: warning: resources.machineType: m",
            "app.yaml: warning: nowhere: n",
        }));
    }
}
