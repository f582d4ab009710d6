using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ParsedArgsTests
{
    [Test]
    public void Parse_OptionWithSeparateValue_ReadsTheValue()
    {
        var args = ParsedArgs.Parse(["get", "--specs-dir", "/tmp/specs", "hello"]);

        Assert.That(args.Get("--specs-dir"), Is.EqualTo("/tmp/specs"));
        Assert.That(args.Positionals, Is.EqualTo(new[] { "get", "hello" }));
    }

    [Test]
    public void Parse_OptionWithEquals_SplitsAtTheFirstEquals()
    {
        var args = ParsedArgs.Parse(["--label=team=ml", "--domain="]);

        Assert.That(args.Get("--label"), Is.EqualTo("team=ml"));
        Assert.That(args.OptionNames, Does.Contain("--domain"), "split, and its empty value refused when read (Get_OptionWithAnEmptyValue_…)");
        Assert.That(args.Positionals, Is.Empty);
    }

    [Test]
    public void Parse_RepeatedOption_KeepsEveryValueAndGetReturnsTheLast()
    {
        var args = ParsedArgs.Parse(["--listen", "http://a:1", "--listen=http://b:2", "--listen", "http://c:3"]);

        Assert.That(args.GetAll("--listen"), Is.EqualTo(new[] { "http://a:1", "http://b:2", "http://c:3" }));
        Assert.That(args.Get("--listen"), Is.EqualTo("http://c:3"));
    }

    [Test]
    public void Parse_KnownFlag_TakesNoValue()
    {
        var args = ParsedArgs.Parse(["logs", "--follow", "hello"]);

        Assert.That(args.Has("--follow"), Is.True);
        Assert.That(args.SetFlags, Is.EquivalentTo(new[] { "--follow" }));
        Assert.That(args.Positionals, Is.EqualTo(new[] { "logs", "hello" }));
        Assert.That(args.OptionNames, Is.Empty);
    }

    [Test]
    public void Parse_VerbSpecificFlag_TakesNoValue()
    {
        var args = ParsedArgs.Parse(["delete", "--yes", "hello"], "--yes");

        Assert.That(args.Has("--yes"), Is.True);
        Assert.That(args.Positionals, Is.EqualTo(new[] { "delete", "hello" }));
    }

    [Test]
    public void Parse_DoubleDash_EndsOptions()
    {
        var args = ParsedArgs.Parse(["exec", "--domain", "d", "--", "--follow", "-x", "--a=b"]);

        Assert.That(args.Get("--domain"), Is.EqualTo("d"));
        Assert.That(args.Positionals, Is.EqualTo(new[] { "exec", "--follow", "-x", "--a=b" }));
        Assert.That(args.Has("--follow"), Is.False);
    }

    [Test]
    public void Parse_SingleDash_IsPositional()
    {
        var args = ParsedArgs.Parse(["apply", "-f", "-"]);

        Assert.That(args.Get("-f"), Is.EqualTo("-"));
        Assert.That(ParsedArgs.Parse(["apply", "-"]).Positionals, Is.EqualTo(new[] { "apply", "-" }));
    }

    [Test]
    public void Parse_OptionMissingItsValue_ReadingTheArgumentsThrowsUsageException()
    {
        var args = ParsedArgs.Parse(["get", "--domain"]);

        foreach (var read in new TestDelegate[] { () => args.Get("--domain"), () => args.Get("--other"), () => args.GetAll("--domain"), () => _ = args.Positionals, () => args.Has("--domain") })
        {
            var ex = Assert.Throws<UsageException>(read);
            Assert.That(ex!.Message, Is.EqualTo("option --domain needs a value"));
        }
    }

    [Test]
    public void Parse_OptionMissingItsValue_IsListedForTheUnknownOptionCheck()
    {
        var args = ParsedArgs.Parse(["ls", "--socket", "/s", "--bogus"]);

        Assert.That(args.OptionNames, Is.EqualTo(new[] { "--socket", "--bogus" }));
    }

    [Test]
    public void Get_SeveralNames_ReturnsTheFirstNamePresent()
    {
        var args = ParsedArgs.Parse(["-o", "json", "--output", "yaml"]);

        Assert.That(args.Get("--output", "-o"), Is.EqualTo("yaml"));
        Assert.That(args.Get("--missing"), Is.Null);
        Assert.That(args.GetAll("--output", "-o"), Is.EqualTo(new[] { "yaml", "json" }));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Positionals_EmptyArgument_UsageErrorNamingItsPlace(string empty)
    {
        // Before: `get ""` asked for /v1/deployments/ and crashed reading the list; `validate ""` crashed in Path.GetFullPath.
        var args = ParsedArgs.Parse(["web", empty]);

        var error = Assert.Throws<UsageException>(() => _ = args.Positionals);

        Assert.That(error!.Message, Is.EqualTo($"argument 2 is empty ('{empty}'): give a name or a file (an unset shell variable?)"));
    }

    [Test]
    public void Get_OptionWithAnEmptyValue_UsageErrorNamingTheOption()
    {
        var args = ParsedArgs.Parse(["-f", "", "--tag="]);

        Assert.That(Assert.Throws<UsageException>(() => args.Get("-f"))!.Message, Is.EqualTo("option -f is empty: give it a value (an unset shell variable?)"));
        Assert.That(Assert.Throws<UsageException>(() => args.GetAll("--tag"))!.Message, Does.StartWith("option --tag is empty"));
    }

    [Test]
    public void Only_SomeOptions_CopiesThoseAloneWithEveryValue()
    {
        var args = ParsedArgs.Parse(["web", "--namespace", "ml", "--specs-dir", "/a", "--specs-dir", "/b", "--pvc"], "--pvc");

        var only = args.Only("--specs-dir", "--config");

        Assert.That(only.OptionNames, Is.EqualTo(new[] { "--specs-dir" }));
        Assert.That(only.GetAll("--specs-dir"), Is.EqualTo(new[] { "/a", "/b" }));
        Assert.That(only.Positionals, Is.Empty);
        Assert.That(only.SetFlags, Is.Empty);
    }
}
