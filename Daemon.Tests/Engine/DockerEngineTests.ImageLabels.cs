using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>
/// An image's labels reach every container made from it: one built with the node's own keys (a GPU claim, a workflow run)
/// made its container pass for what it is not (found by the ninth adversary review). Such an image is not run.
/// </summary>
internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task CreateContainerAsync_ImageCarriesTheNodesGpuAndWorkflowLabels_RefusedNamingThemAndNothingCreated()
    {
        var image = await CommitWebImageWithLabelsAsync(new Dictionary<string, string>
        {
            [ContainerLabels.Gpus] = "GPU-11111111-2222-3333-4444-555555555555",
            [ContainerLabels.Workflow] = "nightly",
            [ContainerLabels.Run] = "1",
        });
        var name = NewName();
        try
        {
            var refused = Assert.ThrowsAsync<ImageLabelsRefusedException>(() => _engine.CreateContainerAsync(
                new ContainerCreateRequest
                {
                    Name = name,
                    Image = image,
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case, [ContainerLabels.Deployment] = "app" },
                },
                Token()));

            Assert.That(refused!.Message, Does.Contain(ContainerLabels.Gpus).And.Contain(ContainerLabels.Workflow).And.Contain(ContainerLabels.Run).And.Contain(image));
            Assert.That(await _engine.ListContainersAsync([$"{CaseLabel}={_case}"], Token()), Is.Empty, "nothing is created");
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [Test]
    public async Task CreateContainerAsync_ImageCarriesANodeLabelTheRequestSets_CreatedWithTheRequestsValue()
    {
        var image = await CommitWebImageWithLabelsAsync(new Dictionary<string, string> { [ContainerLabels.ProbesHash] = "deadbeef", ["org.example.kept"] = "yes" });
        try
        {
            var id = await _engine.CreateContainerAsync(
                new ContainerCreateRequest
                {
                    Name = NewName(),
                    Image = image,
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case, [ContainerLabels.ProbesHash] = "0123456789ab" },
                },
                Token());
            _created.Add(id);

            var labels = (await _engine.InspectContainerAsync(id, Token()))!.Labels;
            Assert.That(labels[ContainerLabels.ProbesHash], Is.EqualTo("0123456789ab"));
            Assert.That(labels["org.example.kept"], Is.EqualTo("yes"), "labels of other names stay the image's");
        }
        finally
        {
            await _engine.RemoveContainerAsync(_created[^1], force: true, Token());
            await RemoveImageAsync(image);
        }
    }

    /// <summary>The web test image committed with <paramref name="labels"/> (and <paramref name="env"/>) added, as <c>LABEL</c> and <c>ENV</c> lines would.</summary>
    private async Task<string> CommitWebImageWithLabelsAsync(Dictionary<string, string> labels, IList<string>? env = null)
    {
        using var clients = new DockerClientProvider(TestEnvironment.DockerHost);
        var docker = await clients.GetAsync(Token());
        var source = await _engine.CreateContainerAsync(
            new ContainerCreateRequest { Name = NewName(), Image = TestEnvironment.WebImage, Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId } },
            Token());
        _created.Add(source);
        var repository = $"gradient-test/labelled-{TestEnvironment.RunId}-{_case}".ToLowerInvariant();
        await docker.Images.CommitContainerChangesAsync(
            new CommitContainerChangesParameters { ContainerID = source, RepositoryName = repository, Tag = "1", Labels = labels, Env = env! },
            Token());
        return $"{repository}:1";
    }

    private async Task RemoveImageAsync(string image)
    {
        using var clients = new DockerClientProvider(TestEnvironment.DockerHost);
        var docker = await clients.GetAsync(Token());
        foreach (var id in _created.ToList())
        {
            await _engine.RemoveContainerAsync(id, force: true, Token());
        }

        await docker.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true }, Token());
    }
}
