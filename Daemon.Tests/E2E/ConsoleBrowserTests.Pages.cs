using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The deployment page's spec file with its errors, and a workflow run's DAG and job logs.</summary>
internal sealed partial class ConsoleBrowserTests
{
    [Test]
    public async Task Deployment_InvalidSpec_ShowsEachErrorUnderItsLine()
    {
        await _node.WriteSpecAsync("broken.yaml", "apiVersion: v1\nname: broken\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: two\n");
        await _node.WaitForStatusAsync("broken", s => s.State == DeploymentState.Invalid, "Invalid");

        await _page.GotoAsync(_console.Url + "#/d/broken");
        var line = _page.Locator("#spec li.has-error");
        await line.WaitForAsync(new() { Timeout = WaitMs });

        Assert.That(await line.GetAttributeAsync("id"), Is.EqualTo("spec-line-7"));
        Assert.That(await line.Locator("code").InnerTextAsync(), Is.EqualTo("  replicas: two"));
        Assert.That(await line.Locator(".spec-error").InnerTextAsync(), Does.Contain("7:13: resources.replicas: expected an integer"));
        Assert.That(await _page.Locator("#spec li").CountAsync(), Is.EqualTo(7));
        await Screenshot("console-deployment-invalid");
    }

    [Test]
    public async Task WorkflowRun_Page_ShowsTheDagWithEdgesPhasesAndAJobLog()
    {
        var marker = $"train-says-{Guid.NewGuid():N}";
        var file = Path.Combine(_node.Root, "pipeline.yaml");
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              prepare:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo preparing"]
              train:
                needs: [prepare]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo {{marker}}"]
              evaluate:
                needs: [prepare]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "exit 3"]
              report:
                needs: [train, evaluate]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "true"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.Stdout, Does.Contain("workflow 'pipeline' run 1 started"), run.ToString());

        await _page.GotoAsync(_console.Url + "#/w/pipeline/1");
        var dag = _page.Locator("#dag");
        await dag.Locator("g[data-job='train'][data-phase='SUCCEEDED']").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await dag.Locator("g[data-job='prepare'][data-phase='SUCCEEDED']").CountAsync(), Is.EqualTo(1));
        Assert.That(await dag.Locator("g[data-job='evaluate'][data-phase='FAILED']").CountAsync(), Is.EqualTo(1));
        Assert.That(await dag.Locator("g[data-job='report'][data-phase='SKIPPED']").CountAsync(), Is.EqualTo(1));
        foreach (var (from, to) in new[] { ("prepare", "train"), ("prepare", "evaluate"), ("train", "report"), ("evaluate", "report") })
        {
            Assert.That(await dag.Locator($"path.edge[data-from='{from}'][data-to='{to}']").CountAsync(), Is.EqualTo(1), $"edge {from} → {to}");
        }

        Assert.That(await dag.Locator("path.edge").CountAsync(), Is.EqualTo(4));

        await dag.Locator("g[data-job='train']").ClickAsync();
        await _page.Locator("#job-logs-name", new() { HasTextString = "train" }).WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#job-logs", new() { HasTextString = marker }).WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-workflow-run");
    }
}
