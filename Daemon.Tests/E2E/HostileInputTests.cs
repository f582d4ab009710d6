using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Hostile spec input against the published binary: it answers with located errors and stays up.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class HostileInputTests
{
    private const int ApiFuzzCount = 300;

    private GradientNodeProcess _node = null!;
    private string _scratch = null!;

    [SetUp]
    public async Task SetUp()
    {
        await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        _scratch = Directory.CreateTempSubdirectory("gn-hostile-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
            _scratch = null!;
        }
    }

    [Test]
    public async Task Validate_TwoHundredThousandOpenBrackets_ExitsOneWithNestingError()
    {
        // Before the guard: "Stack overflow" and exit 134.
        var file = Path.Combine(_scratch, "deep.yaml");
        await File.WriteAllTextAsync(file, "image: " + new string('[', 200_000));

        var result = await _node.CliAsync("validate", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{file}:1:71: nesting deeper than 64"));
    }

    [Test]
    public async Task Validate_RefThatIsAGitOption_ExitsOneWithFileLineColumn()
    {
        var file = Path.Combine(_scratch, "inject.yaml");
        await File.WriteAllTextAsync(file, "image: x\nport: 80\nresources:\n  instanceType: C4\nrepositories:\n  dataset: d\n  repositories:\n"
            + "    - name: r\n      url: https://example.invalid/r.git\n      ref: --pathspec-from-file=/etc/shadow\n");

        var result = await _node.CliAsync("validate", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{file}:10:12: repositories.repositories[0].ref: must not start with '-'"));
    }

    [Test]
    public async Task SpecsDir_DeepYamlFile_DaemonStaysUpAndReportsIt()
    {
        await _node.WriteSpecAsync("deep.yaml", "name: deep\nimage: " + new string('[', 200_000));

        var status = await _node.WaitForStatusAsync("deep", s => s.Errors.Count > 0, "the file's errors");
        Assert.That(status.Errors, Has.Some.EndsWith(":2:71: nesting deeper than 64"));
        Assert.That(_node.IsRunning, Is.True, _node.Output);
        Assert.That(await _node.ApiGetAsync("v1/health"), Does.Contain("ok").IgnoreCase);
    }

    [Test]
    public async Task PutDeployment_ChunkedBodyOverTheLimit_Returns413()
    {
        using var http = _node.SocketClient();
        var body = Encoding.UTF8.GetBytes("apiVersion: v1\nname: big\n# " + new string('x', 2 * 1024 * 1024) + "\n");
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Put, "v1/deployments/big") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("error").GetString(), Is.EqualTo("a spec may be at most 1048576 bytes"));
        Assert.That(Directory.EnumerateFiles(_node.SpecsDir), Is.Empty);
    }

    [Test]
    public async Task PutDeployment_HundredsOfFuzzedSpecs_AnswersWithLocatedErrorsAndStaysHealthy()
    {
        var mutator = new SpecMutator(SpecMutator.LoadSeeds(), SpecParserFuzzTests.Seed + 1);
        using var http = _node.SocketClient();
        var started = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        for (var i = 0; i < ApiFuzzCount; i++)
        {
            using var response = await http.PutAsync("v1/deployments/fuzz-target", new StringContent(mutator.Next()));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
            {
                // A valid legacy mutant without a name takes the target's name: a parsed spec is a fine outcome.
                continue;
            }

            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"#{i}: {(int)response.StatusCode} {text}");
                continue;
            }

            using var json = JsonDocument.Parse(text);
            var errors = json.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
                : [];
            failures.AddRange(errors.Where(e => !Located().IsMatch(e)).Select(e => $"#{i}: unlocated '{e}'"));
        }

        using var delete = await http.DeleteAsync("v1/deployments/fuzz-target");
        TestContext.Progress.WriteLine($"api fuzz: {ApiFuzzCount} specs in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(_node.IsRunning, Is.True, _node.Output);
        Assert.That(await _node.ApiGetAsync("v1/health"), Does.Contain("ok").IgnoreCase);
    }

    [Test]
    public async Task Daemon_NodeYamlWithMisspeltKey_RefusesToStart()
    {
        var config = Path.Combine(_scratch, "node.yaml");
        await File.WriteAllTextAsync(config, "domain: x.example\nnodename: gpu1\n");
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["daemon", "--config", config, "--specs-dir", _scratch, "--state-dir", _scratch, "--run-dir", _scratch])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(await stderr, Does.Contain($"{config}:2:1: unknown key 'nodename'; did you mean 'nodeName'?"));
    }

    [GeneratedRegex(@"^\S+:[1-9][0-9]*:[1-9][0-9]*: \S", RegexOptions.Singleline)]
    private static partial Regex Located();
}
