using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class BoundedBodyTests
{
    [Test]
    public async Task ReadTextAsync_SpecWithABadByte_TheParserRefusesItAtTheByte()
    {
        // Before: the body was decoded with U+FFFD replacement and PUT /v1/deployments stored the spec.
        using var body = new MemoryStream([.. "name: app\nimage: nginx"u8, 0xFF, .. "\nresources:\n  machineType: C4\n  ports: [80]\n"u8]);

        var text = await BoundedBody.ReadTextAsync(body, 1024, CancellationToken.None);
        var result = SpecParser.Parse("app.yaml", text!);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "app.yaml:2:13: invalid UTF-8: byte 0xFF; the text must be UTF-8" }));
    }

    [Test]
    public async Task ReadTextAsync_Utf8Bom_Dropped()
    {
        using var body = new MemoryStream([0xEF, 0xBB, 0xBF, .. "name: é\n"u8]);

        Assert.That(await BoundedBody.ReadTextAsync(body, 1024, CancellationToken.None), Is.EqualTo("name: é\n"));
    }

    [Test]
    public void WorkflowParser_TextWithABadByte_RefusedAtTheByte()
    {
        var text = GradientNode.Core.Common.Utf8Text.Decode([.. "jobs:\n  a:\n    uses: "u8, 0xC0, 0xAF, .. "\n"u8]);

        var result = WorkflowParser.Parse("wf.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "wf.yaml:3:11: invalid UTF-8: byte 0xC0; the text must be UTF-8" }));
    }
}
