using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class SubCommandsTests
{
    private static ParsedArgs Args(params string[] args) => ParsedArgs.Parse(args);

    [Test]
    public void RunAsync_NoSubCommand_UsageErrorListsTheVerbsSubCommands()
    {
        using var api = new ApiClient("/nonexistent/gradient.sock");
        var secrets = new SecretCommands(api, Stream.Null, TextWriter.Null, TextWriter.Null);
        var store = new StoreCommands(api, TextWriter.Null, TextWriter.Null);

        Assert.Multiple(() =>
        {
            // Before: "registries needs a sub-command", and the global help to read for which.
            Assert.That(async () => await secrets.RunAsync("registries", Args(), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("registries needs a sub-command (add, ls, rm, test)"));
            Assert.That(async () => await secrets.RunAsync("secrets", Args(), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("secrets needs a sub-command (set, ls, rm)"));
            Assert.That(async () => await store.RunAsync("models", Args(), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("models needs a sub-command (add, ls, rm)"));
        });
    }

    [Test]
    public void RunAsync_UnknownSubCommand_UsageErrorNamesItAndListsTheKnownOnes()
    {
        using var api = new ApiClient("/nonexistent/gradient.sock");
        var secrets = new SecretCommands(api, Stream.Null, TextWriter.Null, TextWriter.Null);
        var store = new StoreCommands(api, TextWriter.Null, TextWriter.Null);

        Assert.Multiple(() =>
        {
            Assert.That(async () => await secrets.RunAsync("registries", Args("login"), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("unknown sub-command 'registries login'; registries has add, ls, rm, test ('registries add NAME --url URL --username U --password-stdin')"));
            Assert.That(async () => await secrets.RunAsync("secrets", Args("get"), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("unknown sub-command 'secrets get'; secrets has set, ls, rm (secret values are write-only (no command reads one back); 'secrets ls' lists the names)"));
            Assert.That(async () => await store.RunAsync("models", Args("push"), CancellationToken.None), Throws.TypeOf<UsageException>().With.Message.EqualTo("unknown sub-command 'models push'; models has add, ls, rm"));
        });
    }

    // Parsed as Program parses a verb's words: workflows run takes -f FILE, the other sub-commands -f as --follow.
    private static ParsedArgs Words(string command)
    {
        var words = command.Split(' ');
        return words[0] != "workflows" ? ParsedArgs.Parse(words[1..], "-f", "--follow", "-t", "--timestamps", "--password-stdin", "--wait", "--open", "--raw")
            : words[1] == "run" ? ParsedArgs.Parse(words[1..], "--wait")
            : ParsedArgs.Parse(words[1..], "-f", "--follow", "--wait", "--all", "--raw");
    }

    [TestCase("datasets create corpus --message first", "--message goes with datasets upload only, not with datasets create")]
    [TestCase("datasets upload corpus ./seed --description raw", "--description goes with datasets create only, not with datasets upload")]
    [TestCase("datasets download corpus ./dl -o json", "-o goes with datasets ls and datasets versions and datasets get and datasets gc only, not with datasets download")]
    [TestCase("workflows cancel train 1 -o json", "-o goes with workflows ls and workflows runs and workflows get only, not with workflows cancel")]
    [TestCase("workflows get train 1 --job prep", "--job goes with workflows logs only, not with workflows get")]
    [TestCase("workflows logs train 1 -o json", "-o goes with workflows ls and workflows runs and workflows get only, not with workflows logs")]
    [TestCase("workflows run -f train.yaml --job prep", "--job goes with workflows logs only, not with workflows run")]
    [TestCase("workflows ls --all", "--all goes with workflows delete only, not with workflows ls")]
    [TestCase("workflows get train 1 --raw", "--raw goes with workflows logs only, not with workflows get")]
    [TestCase("models add tiny --from ./m -o json", "-o goes with models ls only, not with models add")]
    [TestCase("models ls --from ./m", "--from goes with models add only, not with models ls")]
    [TestCase("secrets ls --from-file ./v", "--from-file goes with secrets set only, not with secrets ls")]
    [TestCase("registries test myreg --url http://x", "--url goes with registries add only, not with registries test")]
    public void Check_OptionOfAnotherSubCommand_UsageErrorNamesTheSubCommandItGoesWith(string command, string message)
    {
        // Before: accepted and ignored with exit 0 (datasets create made a dataset without the message, workflows ls
        // -o json printed the table, workflows get --job printed every job).
        var error = Assert.Throws<UsageException>(() => ClientVerbOptions.Check(command.Split(' ')[0], Words(command)));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [TestCase("datasets create corpus --description raw")]
    [TestCase("datasets ls -o json")]
    [TestCase("datasets versions corpus --output json")]
    [TestCase("datasets get corpus:golden -o yaml")]
    [TestCase("datasets upload corpus ./seed --message first")]
    [TestCase("datasets download corpus:golden ./dl")]
    [TestCase("datasets tag corpus:abc1234 golden")]
    [TestCase("datasets rm corpus --socket /tmp/s")]
    [TestCase("datasets gc")]
    [TestCase("workflows run -f train.yaml --name t --inputs in.yaml --wait")]
    [TestCase("workflows run --filename train.yaml")]
    [TestCase("workflows ls")]
    [TestCase("workflows runs train")]
    [TestCase("workflows get train 1 -o json")]
    [TestCase("workflows logs train 1 --job prep -f")]
    [TestCase("workflows logs train 1 --follow --raw")]
    [TestCase("workflows cancel train 1")]
    [TestCase("workflows delete train --all")]
    [TestCase("workflows rm train 1")]
    [TestCase("models add tiny --from ./m")]
    [TestCase("models ls -o json")]
    [TestCase("models rm tiny")]
    [TestCase("secrets set hf --from-file ./v")]
    [TestCase("secrets ls --run-dir /tmp/r")]
    [TestCase("registries add r --url http://x --username u --password-stdin --namespace team")]
    [TestCase("registries set r --url http://x --username u --password-stdin")]
    [TestCase("registries test r")]
    [TestCase("workflows frobnicate -o json")]
    public void Check_DocumentedOptionsOfEachSubCommand_Accepted(string command) =>
        Assert.DoesNotThrow(() => ClientVerbOptions.Check(command.Split(' ')[0], Words(command)));
}
