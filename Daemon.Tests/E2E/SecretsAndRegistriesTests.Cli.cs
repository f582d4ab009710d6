using System.Diagnostics;
using System.Net;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The secrets and registries verbs as a user types them: arguments, terminals, bytes, names.</summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task Secrets_BadNameOrEmptyValue_Returns400()
    {
        var badName = await _node.CliWithInputAsync("x", "secrets", "set", "9starts-with-digit");
        var empty = await _node.CliWithInputAsync(string.Empty, "secrets", "set", "empty_one");

        Assert.That(badName.ExitCode, Is.EqualTo(1), badName.ToString());
        Assert.That(badName.Stderr, Does.Contain("starts with a letter"));
        Assert.That(empty.ExitCode, Is.EqualTo(1), empty.ToString());
        Assert.That(empty.Stderr, Does.Contain("1–8192 bytes"));
    }

    [Test]
    public async Task Secrets_SetWithTheValueAsAnArgument_UsageErrorThatRepeatsNothingAndStoresNothing()
    {
        var set = await _node.CliWithInputAsync(string.Empty, "secrets", "set", "typed_value", SecretValue);
        var list = await _node.CliAsync("secrets", "ls");

        Assert.That(set.ExitCode, Is.EqualTo(2), set.ToString());
        Assert.That(set.Stderr, Does.Contain("secrets set takes one argument, NAME; the value comes from standard input or --from-file FILE"));
        Assert.That(list.Stdout, Does.Not.Contain("typed_value"));
        AssertNoLeak(SecretValue, set, list);
        Assert.That(_node.Output, Does.Not.Contain(SecretValue));
    }

    [Test]
    public async Task Registries_AddWithThePasswordAsAnArgument_UsageErrorThatRepeatsNothing()
    {
        var add = await _node.CliWithInputAsync("pw\n", "registries", "add", "argpw", SecretValue, "--url", "127.0.0.1:5999", "--username", "u", "--password-stdin");
        var list = await _node.CliAsync("registries", "ls");

        Assert.That(add.ExitCode, Is.EqualTo(2), add.ToString());
        Assert.That(add.Stderr, Does.Contain("registries add takes one argument, NAME; the password comes from standard input"));
        Assert.That(list.Stdout, Does.Not.Contain("argpw"));
        AssertNoLeak(SecretValue, add, list);
    }

    [Test]
    public async Task Secrets_NameWithASlashOrAFolderAsFromFile_ToldAsTyped()
    {
        var slash = await _node.CliWithInputAsync("x", "secrets", "set", "a/b");
        var folder = await _node.CliAsync("secrets", "set", "from_folder", "--from-file", _node.StateDir);
        var missing = await _node.CliAsync("secrets", "set", "from_missing", "--from-file", Path.Combine(_node.StateDir, "no-such-file"));

        Assert.That(slash.ExitCode, Is.EqualTo(1), slash.ToString());
        Assert.That(slash.Stderr, Does.Contain("invalid secret name 'a/b': a secret name starts with a letter"));
        Assert.That(folder.ExitCode, Is.EqualTo(1), folder.ToString());
        Assert.That(folder.Stderr, Does.Contain($"--from-file {_node.StateDir}: is a folder"));
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("no-such-file: no such file"));
    }

    [Test]
    public async Task Secrets_SetFromStdinNotUtf8_RefusedAsFromAFileAndUtf8StoredByteForByte()
    {
        var notUtf8 = await _node.CliWithBytesAsync([0xff, 0xfe, 0x41, 0x0a], "secrets", "set", "binary_value");
        var utf8 = await _node.CliWithBytesAsync([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a], "secrets", "set", "utf8_value");
        var password = await _node.CliWithBytesAsync([0xff, 0x0a], "registries", "add", "binary_pw", "--url", "127.0.0.1:5999", "--username", "u", "--password-stdin");

        Assert.That(notUtf8.ExitCode, Is.EqualTo(1), notUtf8.ToString());
        Assert.That(notUtf8.Stderr, Does.Contain("the value of secret 'binary_value' is not UTF-8 text"));
        Assert.That(File.Exists(Path.Combine(_node.StateDir, "secrets", "binary_value")), Is.False, "stored as U+FFFD replacement characters before");
        Assert.That(utf8.ExitCode, Is.Zero, utf8.ToString());
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(_node.StateDir, "secrets", "utf8_value")), Is.EqualTo(new byte[] { 0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9 }));
        Assert.That(password.ExitCode, Is.EqualTo(1), password.ToString());
        Assert.That(password.Stderr, Does.Contain("the password on standard input is not UTF-8 text"));
        Assert.That(File.Exists(Path.Combine(_node.StateDir, "registries", "binary_pw.json")), Is.False);
    }

    [Test]
    public async Task Secrets_SetAtATerminal_PromptsAndNeverEchoesTheValue()
    {
        // util-linux script(1) gives the client a real pseudo-terminal; what the terminal would show comes back on stdout.
        const string Script = "/usr/bin/script";
        if (!File.Exists(Script))
        {
            const string Missing = "no /usr/bin/script (util-linux's bsdutils, an essential Debian package) to give the client a terminal";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(Missing);
            }

            Assert.Ignore(Missing);
        }

        var start = new ProcessStartInfo(Script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-q", "-e", "-c", $"'{GradientNodeProcess.BinaryPath()}' --socket '{_node.Socket}' secrets set tty_value", "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var shown = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[256];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (shown)
                {
                    shown.Append(buffer, 0, read);
                }
            }
        });
        string Shown()
        {
            lock (shown)
            {
                return shown.ToString();
            }
        }

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Shown().Contains("(not shown; Enter ends it)", StringComparison.Ordinal)), TestTimeouts.Container, () => $"the prompt for the value; the terminal showed: {Shown()}");
        await process.StandardInput.WriteAsync(SecretValue + "\r");
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await process.WaitForExitAsync(timeout.Token);
        await reading;

        Assert.That(Shown(), Does.Contain("value of secret 'tty_value' (not shown; Enter ends it)").And.Contain("tty_value: created"));
        Assert.That(Shown(), Does.Not.Contain(SecretValue), "the terminal echoed the value as it was typed");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_node.StateDir, "secrets", "tty_value")), Is.EqualTo(SecretValue));
    }

    [Test]
    public async Task Registries_AddUrlWithUserAndPassword_RefusedWithoutRepeatingThem()
    {
        var add = await _node.CliWithInputAsync("pw\n", "registries", "add", "inurl", "--url", $"http://ci:{SecretValue}@127.0.0.1:5999", "--username", "u", "--password-stdin");
        var list = await _node.CliAsync("registries", "ls");

        Assert.That(add.ExitCode, Is.EqualTo(1), add.ToString());
        Assert.That(add.Stderr, Does.Contain("url 'http://***@127.0.0.1:5999' carries a user or password before '@'"));
        Assert.That(list.Stdout, Does.Not.Contain("inurl"));
        AssertNoLeak(SecretValue, add, list);
        Assert.That(File.Exists(Path.Combine(_node.StateDir, "registries", "inurl.json")), Is.False);
    }

    [Test]
    public async Task Registries_AddUnusableUrl_NamesTheUrlAndWhy()
    {
        var add = await _node.CliWithInputAsync("pw\n", "registries", "add", "ftp", "--url", "ftp://registry.example.com", "--username", "u", "--password-stdin");

        Assert.That(add.ExitCode, Is.EqualTo(1), add.ToString());
        Assert.That(add.Stderr, Does.Contain("url 'ftp://registry.example.com' is not a registry address"), add.ToString());
    }

    [Test]
    public async Task Registries_RmWhileASpecNamesIt_SaysWhoStillNamesIt()
    {
        await AddRegistryAsync("private", "127.0.0.1:5999", "u", "p");
        await AddRegistryAsync("unused", "127.0.0.1:5998", "u", "p");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("uses conn", replicas: 1, image: "127.0.0.1:5999/app:1", top: "containerRegistry: private"));
        await _node.WaitForStatusAsync("uses conn", _ => true, "the spec seen");

        var used = await _node.CliAsync("registries", "rm", "private");
        var unused = await _node.CliAsync("registries", "rm", "unused");

        Assert.That(used.ExitCode, Is.Zero, used.ToString());
        Assert.That(used.Stdout, Does.Contain("private: deleted; still named by uses conn (containerRegistry): running replicas keep running"));
        Assert.That(unused.Stdout.Trim(), Is.EqualTo("unused: deleted"));
    }
}
