using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ClientVerbOptionsTests
{
    [Test]
    public void Check_UnknownVerbWithAnOption_NamesTheVerbNotTheOption()
    {
        var parsed = ParsedArgs.Parse(["-f", "app.yaml"], "-f");

        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("frobnicate", parsed));

        Assert.That(error!.Message, Is.EqualTo("unknown verb 'frobnicate'"));
    }

    [TestCase("status", "get")]
    [TestCase("describe", "get")]
    [TestCase("show", "get")]
    [TestCase("inspect", "get")]
    [TestCase("ps", "ls")]
    [TestCase("remove", "delete")]
    [TestCase("gpus", "node")]
    [TestCase("gpu", "node")]
    [TestCase("info", "node")]
    public void Check_UnknownVerbOtherToolsUse_SuggestsOurs(string verb, string ours)
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check(verb, ParsedArgs.Parse(["hello"])));

        Assert.That(error!.Message, Does.StartWith($"unknown verb '{verb}'; did you mean '{ours}"));
    }

    [Test]
    public void Check_LsWithAName_RefusesAndPointsAtGet()
    {
        // Before: accepted; `ls web` listed every deployment with exit 0.
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("ls", ParsedArgs.Parse(["my", "app"])));

        Assert.That(error!.Message, Is.EqualTo("ls takes no arguments; 2 words were given ('my' …) (one deployment: gradient-node get my app)"));
    }

    [Test]
    public void Check_NodeWithAWord_RefusesAndSaysTheSummaryHasTheGpus()
    {
        // Before: accepted; `node gpus` printed the summary with exit 0 as if `gpus` were a sub-command.
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("node", ParsedArgs.Parse(["gpus"])));

        Assert.That(error!.Message, Is.EqualTo("node takes no arguments; 'gpus' was given (it prints the whole summary, GPUs included; -o json for the fields)"));
    }

    [TestCase("ls")]
    [TestCase("node")]
    public void Check_NoWordAfterTheVerb_Accepted(string verb) =>
        Assert.DoesNotThrow(() => ClientVerbOptions.Check(verb, ParsedArgs.Parse(["-o", "json"])));

    [TestCase("version")]
    [TestCase("--version")]
    public void Check_VersionWithAWord_Refuses(string verb)
    {
        // Before: `version extra` printed the version with exit 0, as if the word had been understood.
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check(verb, ParsedArgs.Parse(["extra"])));

        Assert.That(error!.Message, Is.EqualTo($"{verb} takes no arguments; 'extra' was given (it prints gradient-node's version; gradient-node node adds the engine's and the node's)"));
    }

    [Test]
    public void Check_VersionAlone_Accepted() =>
        Assert.DoesNotThrow(() => ClientVerbOptions.Check("version", ParsedArgs.Parse([])));

    [Test]
    public void Check_KnownVerbWithAnOptionItDoesNotTake_NamesTheOption()
    {
        var parsed = ParsedArgs.Parse(["hello", "--tail", "5"]);

        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("get", parsed));

        Assert.That(error!.Message, Is.EqualTo("unknown option --tail for get"));
    }

    [Test]
    public void Check_MistypedVerb_SuggestsTheVerb()
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("aply", ParsedArgs.Parse(["-f", "app.yaml"], "-f")));

        Assert.That(error!.Message, Is.EqualTo("unknown verb 'aply'; did you mean 'apply'?"));
    }

    [Test]
    public void Check_MistypedOption_SuggestsTheOptionOfThatVerb()
    {
        var parsed = ParsedArgs.Parse(["-f", "app.yaml", "--wiat"], "-f", "--wait", "--wiat");

        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("apply", parsed));

        Assert.That(error!.Message, Is.EqualTo("unknown option --wiat for apply; did you mean '--wait'?"));
    }

    [Test]
    public void Check_UnknownOptionWithoutAValue_NamesItAsUnknownNotAsMissingItsValue()
    {
        var parsed = ParsedArgs.Parse(["--bogus"]);

        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("ls", parsed));

        Assert.That(error!.Message, Is.EqualTo("unknown option --bogus for ls"));
    }

    [Test]
    public void Check_KnownOptionWithoutAValue_PassesAndTheFirstReadSaysItNeedsOne()
    {
        var parsed = ParsedArgs.Parse(["hello", "--tail"]);

        Assert.DoesNotThrow(() => ClientVerbOptions.Check("logs", parsed));
        Assert.That(Assert.Throws<UsageException>(() => parsed.Get("--socket"))!.Message, Is.EqualTo("option --tail needs a value"));
    }

    [TestCase("delete")]
    [TestCase("rm")]
    [TestCase("logs")]
    public void Check_KnownVerbWithOnlyTheSocketOption_Passes(string verb)
    {
        var parsed = ParsedArgs.Parse(["hello", "--socket", "/tmp/x.sock"]);

        Assert.DoesNotThrow(() => ClientVerbOptions.Check(verb, parsed));
    }

    [TestCase(null, null)]
    [TestCase("0", 0)]
    [TestCase("20", 20)]
    public void Count_WholeNumberOrNothing_ReturnsIt(string? value, int? expected)
    {
        Assert.That(ClientVerbOptions.Count("--tail", value), Is.EqualTo(expected));
    }

    [TestCase("abc")]
    [TestCase("-5")]
    [TestCase("1.5")]
    [TestCase("")]
    public void Count_NotAWholeNumber_IsAUsageErrorNamingTheOptionAndValue(string value)
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Count("--tail", value));

        Assert.That(error!.Message, Is.EqualTo($"--tail takes a whole number (0 or more), not '{value}'"));
    }

    [TestCase("0", 0)]
    [TestCase("64", 64)]
    public void Replicas_ZeroToSixtyFour_ReturnsIt(string value, int expected) =>
        Assert.That(ClientVerbOptions.Replicas(value), Is.EqualTo(expected));

    [TestCase("65", "--replicas must be at most 64, got 65 (the most replicas one deployment may ask of a node)")]
    [TestCase(null, "scale needs a count: scale NAME N, or scale NAME --replicas N")]
    [TestCase("-1", "--replicas takes a whole number (0 or more), not '-1'")]
    [TestCase("99999999999", "--replicas must be at most 64, got 99999999999 (the most replicas one deployment may ask of a node)")]
    public void Replicas_OutOfRangeOrMissing_UsageErrorBeforeTheDaemonIsAsked(string? value, string message)
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Replicas(value));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [TestCase(new[] { "web", "3" }, null, "web", 3)]
    [TestCase(new[] { "deaf", "app", "0" }, null, "deaf app", 0)]
    [TestCase(new[] { "web", "3" }, "2", "web 3", 2)]
    [TestCase(new[] { "web" }, "4", "web", 4)]
    [TestCase(new[] { "3" }, "1", "3", 1)]
    public void Scale_CountLastOrByOption_SplitsNameAndCount(string[] positionals, string? option, string name, int replicas)
    {
        var (words, count) = ClientVerbOptions.Scale(positionals, option);

        Assert.That((string.Join(' ', words), count), Is.EqualTo((name, replicas)));
    }

    [TestCase(new[] { "web", "65" }, "the count must be at most 64, got 65 (the most replicas one deployment may ask of a node)")]
    [TestCase(new[] { "web" }, "scale needs a count: scale NAME N, or scale NAME --replicas N")]
    [TestCase(new[] { "web", "three" }, "scale needs a count: scale NAME N, or scale NAME --replicas N (the last word, 'three', is not a whole number from 0 to 64)")]
    [TestCase(new[] { "app12", "abc" }, "scale needs a count: scale NAME N, or scale NAME --replicas N (the last word, 'abc', is not a whole number from 0 to 64)")]
    [TestCase(new[] { "app12", "1.5" }, "the count must be a whole number from 0 to 64, not '1.5' (scale NAME N, or scale NAME --replicas N)")]
    [TestCase(new[] { "app12", "+3" }, "the count must be a whole number from 0 to 64, not '+3' (scale NAME N, or scale NAME --replicas N)")]
    [TestCase(new[] { "app12", "99999999999" }, "the count must be at most 64, got 99999999999 (the most replicas one deployment may ask of a node)")]
    public void Scale_NoCountOrTooMany_UsageError(string[] positionals, string message)
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Scale(positionals, null));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [TestCase("-1")]
    [TestCase("-3")]
    public void Check_ScaleWithANegativeCount_SaysTheCountMustBeAWholeNumberNamingIt(string count)
    {
        // Read as an option before: "unknown option -1 for scale".
        var parsed = ParsedArgs.Parse(["app12", count]);

        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("scale", parsed));

        Assert.That(error!.Message, Is.EqualTo($"the count must be a whole number from 0 to 64, not '{count}' (scale NAME N, or scale NAME --replicas N)"));
    }

    [Test]
    public void Check_OtherVerbWithANegativeNumber_StillAnUnknownOption()
    {
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check("get", ParsedArgs.Parse(["app12", "-1"])));

        Assert.That(error!.Message, Does.StartWith("unknown option -1 for get"));
    }
}
