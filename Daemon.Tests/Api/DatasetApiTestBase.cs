using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>A <see cref="DatasetApiHost"/> started before each test and the CLI's <see cref="ApiClient"/> on its socket.</summary>
internal abstract class DatasetApiTestBase
{
    protected DatasetApiHost Host { get; private set; } = null!;

    protected ApiClient Api { get; private set; } = null!;

    [SetUp]
    public async Task StartHostAsync()
    {
        Host = await DatasetApiHost.StartAsync();
        Api = new ApiClient(Host.Socket);
    }

    [TearDown]
    public async Task StopHostAsync()
    {
        Api.Dispose();
        await Host.DisposeAsync();
    }
}
