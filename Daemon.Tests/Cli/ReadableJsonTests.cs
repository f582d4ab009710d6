using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ReadableJsonTests
{
    [Test]
    public void Of_MessageTheApiEscaped_QuotesAndSymbolsAsThemselves()
    {
        // Before: `workflows get` printed the API's escaping: "no dataset \u0027src\u0027 (create it: \u003E …)".
        const string api = """{"phase":"ERROR","message":"inputs.data: no dataset \u0027src\u0027 \u003C\u003E \u0026 \u002B caf\u00E9"}""";

        var text = ReadableJson.Of(api);

        Assert.That(text, Is.EqualTo("{\n  \"phase\": \"ERROR\",\n  \"message\": \"inputs.data: no dataset 'src' <> & + café\"\n}"));
    }
}
