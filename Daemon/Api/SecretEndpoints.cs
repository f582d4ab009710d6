using System.Text.Json;
using GradientNode.Core.Catalog;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>/v1/secrets</c> and <c>/v1/registries</c>. Values and passwords go in, never out: listings carry names,
/// URLs, usernames and time stamps only, and no error message echoes a value.
/// </summary>
internal static class SecretEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/secrets", (SecretStore secrets) =>
            JsonResults.Json(secrets.List().ToList(), ApiJsonContext.Default.ListSecretInfo));

        api.MapPut("/v1/secrets/{name}", async (string name, HttpRequest request, SecretStore secrets, CancellationToken cancellationToken) =>
        {
            var value = await ReadLimitedAsync(request, SecretName.MaxValueBytes, cancellationToken);
            if (value is null)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"the value of secret '{name}' must be at most {SecretName.MaxValueBytes} bytes");
            }

            var existed = secrets.Exists(name);
            secrets.Set(name, value);
            return JsonResults.Json(new Acknowledged(name, existed ? "updated" : "created"), ApiJsonContext.Default.Acknowledged, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        api.MapDelete("/v1/secrets/{name}", (string name, SecretStore secrets, SpecDirectoryWatcher specs, WorkflowRunStore runs) => secrets.Remove(name)
            ? JsonResults.Json(
                new Acknowledged(name, SecretUsers.RemovedResult(name, specs.Entries.Values.Select(e => e.Spec).OfType<DeploymentSpec>(), RunSecretUsers.Of(name, runs.Unfinished()))),
                ApiJsonContext.Default.Acknowledged)
            : JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Secret(name, secrets.List().Select(s => s.Name))));

        api.MapGet("/v1/registries", (RegistryStore registries) =>
            JsonResults.Json(registries.List().ToList(), RegistryJsonContext.Default.ListRegistryInfo));

        api.MapGet("/v1/registries/{name}", (string name, RegistryStore registries) => registries.List().FirstOrDefault(r => r.Name == name) is { } info
            ? JsonResults.Json(info, RegistryJsonContext.Default.RegistryInfo)
            : JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Registry(name, registries.List().Select(r => r.Name))));

        api.MapPut("/v1/registries/{name}", async (string name, HttpRequest request, RegistryStore registries, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var body = await ReadLimitedAsync(request, 64 * 1024, cancellationToken);
            RegistryRequest? input = null;
            try
            {
                input = body is null ? null : JsonSerializer.Deserialize(body, ApiJsonContext.Default.RegistryRequest);
            }
            catch (JsonException)
            {
                // Answered below without echoing the body (it holds a password).
            }

            if (input is null)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, "expected JSON {\"url\", \"username\", \"password\", \"namespace\"?}");
            }

            var existed = registries.Get(name) is not null || registries.DamageOf(name) is not null;
            registries.Set(new RegistryConnection(name, input.Url ?? string.Empty, input.Username ?? string.Empty, input.Password ?? string.Empty, input.Namespace, time.GetUtcNow()));
            return JsonResults.Json(new Acknowledged(name, existed ? "updated" : "created"), ApiJsonContext.Default.Acknowledged, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        api.MapDelete("/v1/registries/{name}", (string name, RegistryStore registries, SpecDirectoryWatcher specs) =>
        {
            // A damaged file is removed too: it has no URL or user to put in the "add it again" line.
            var removed = registries.Get(name);
            var damaged = removed is null && registries.DamageOf(name) is not null;
            return (removed is not null || damaged) && registries.Remove(name)
                ? JsonResults.Json(
                    new Acknowledged(name, removed is null ? "deleted (its stored file was damaged)" : RegistryUsers.RemovedResult(removed, specs.Entries.Values.Select(e => e.Spec).OfType<DeploymentSpec>())),
                    ApiJsonContext.Default.Acknowledged)
                : JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Registry(name, registries.List().Select(r => r.Name)));
        });

        api.MapPost("/v1/registries/{name}/test", async (string name, RegistryStore registries, RegistryTester tester, CancellationToken cancellationToken) =>
            registries.Get(name) is { } connection
                ? JsonResults.Json(await tester.TestAsync(connection, cancellationToken), RegistryJsonContext.Default.RegistryTestResult)
                : registries.DamageOf(name) is { } damage
                    ? JsonResults.Error(StatusCodes.Status409Conflict, $"registry {RegistryStore.DamagedProblem(name, damage)}")
                    : JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Registry(name, registries.List().Select(r => r.Name))));
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes (chunked bodies included).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
