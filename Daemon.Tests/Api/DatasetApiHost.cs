using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Configuration;
using GradientNode.Tests.Workflows.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GradientNode.Tests.Api;

/// <summary>
/// The daemon's <c>/v1/datasets</c> endpoints in this process, on a unix socket in a temp folder, over a real
/// <see cref="DatasetStore"/> and an in-memory engine with no containers (gc keeps the newest version of each dataset only): the CLI's <c>ApiClient</c> talks to it as to the daemon.
/// </summary>
internal sealed class DatasetApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private DatasetApiHost(WebApplication app, string dir, DatasetStore store)
    {
        _app = app;
        _dir = dir;
        Store = store;
    }

    public DatasetStore Store { get; }

    public string Socket => Path.Combine(_dir, "api.sock");

    public static async Task<DatasetApiHost> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("gn-dataset-api-").FullName;
        var store = new DatasetStore(Path.Combine(dir, "datasets"), new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Path.Combine(dir, "api.sock")));
        builder.Services.AddSingleton(store);
        var engine = new GpuJobEngine();
        var users = new DatasetUsers(engine, store);
        builder.Services.AddSingleton(users);
        var volumes = new VolumeMaterializer(new VolumeStores(dir, store), [], new MaterializerOptions(), TimeProvider.System, NullLogger<VolumeMaterializer>.Instance);
        builder.Services.AddSingleton(new StorageCollector(store, users, volumes, engine, new StorageGcOptions { Keep = 1 }, TimeProvider.System, NullLogger<StorageCollector>.Instance));
        builder.Services.AddSingleton(new NodeOptions { StateDir = dir });
        var app = builder.Build();
        app.UseDecodedSlashes();
        DatasetEndpoints.Map(app);
        await app.StartAsync();
        return new DatasetApiHost(app, dir, store);
    }

    /// <summary>A committed version of <paramref name="name"/> (created when missing) holding one small file.</summary>
    public async Task<DatasetVersion> CommitAsync(string name)
    {
        Store.EnsureCreated(name, null);
        var write = Store.BeginWrite(name, null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "a.txt"), "a\n");
        return await Store.CommitAsync(write, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
