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
}
