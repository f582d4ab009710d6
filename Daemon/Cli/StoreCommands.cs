using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Integrations;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary><c>models add ID --from DIR | ls | rm ID</c> (datasets: <see cref="DatasetCommands"/>).</summary>
internal sealed class StoreCommands(ApiClient api, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(string verb, ParsedArgs args, CancellationToken cancellationToken)
    {
        var sub = args.Positionals.FirstOrDefault() ?? throw SubCommands.Missing(verb);
        var name = args.Positionals.Skip(1).FirstOrDefault();
        return (verb, sub) switch
        {
            ("models", "add") => await AddModelAsync(name ?? throw new UsageException("models add needs an ID"), args.Get("--from") ?? throw new UsageException("models add needs --from DIR"), cancellationToken),
            ("models", "ls" or "list") => await ListAsync($"v1/{verb}", "MODEL", args.Get("-o") ?? args.Get("--output"), cancellationToken),
            ("models", "rm" or "delete") => await SendAsync(HttpMethod.Delete, $"v1/{verb}/{Uri.EscapeDataString(name ?? throw new UsageException($"{verb} rm needs a NAME"))}", null, cancellationToken),
            _ => throw SubCommands.Unknown(verb, sub),
        };
    }

    /// <summary>The client reads DIR (as the calling user) and uploads it as a tar stream; the daemon never opens DIR.</summary>
    private async Task<int> AddModelAsync(string id, string from, CancellationToken cancellationToken)
    {
        try
        {
            using var content = DirectoryTarContent.Of(Path.GetFullPath(from));
            return await SendAsync(HttpMethod.Post, $"v1/models/{Uri.EscapeDataString(id)}", content, cancellationToken);
        }
        catch (Exception ex) when (FindSourceProblem(ex) is { } problem)
        {
            await error.WriteLineAsync($"models add: {problem.Message}; nothing was added");
            return ExitCodes.Failed;
        }
    }

    private static UploadSourceException? FindSourceProblem(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is UploadSourceException found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>A table with sizes for people (<see cref="SizeText"/>); <c>-o json</c> prints the API's list, exact bytes included.</summary>
    private async Task<int> ListAsync(string path, string title, string? format, CancellationToken cancellationToken)
    {
        ClientCommands.CheckJsonOnly(format);

        using var response = await api.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return ApiErrorPrinter.Print(error, body);
        }

        if (format == "json")
        {
            await output.WriteLineAsync(body.Trim());
            return ExitCodes.Ok;
        }

        var rows = new List<string[]> { new[] { title, "VERSIONS", "LATEST", "SIZE" } };
        rows.AddRange((JsonSerializer.Deserialize(body, VolumeJsonContext.Default.ListStoreEntry) ?? []).Select(entry => new[]
        {
            entry.Name, entry.Versions.Count.ToString(CultureInfo.InvariantCulture), entry.Latest ?? "-", SizeText.WithFiles(entry.Bytes, entry.Files),
        }));
        StatusPrinter.WriteColumns(output, rows);
        return ExitCodes.Ok;
    }

    private async Task<int> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(method, path, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return ApiErrorPrinter.Print(error, body); // `error: …` as every verb prints the daemon's answer, not its JSON
        }

        // `model llama:1 created` / `model llama deleted`, as `datasets create` and `secrets set` answer in words
        var done = JsonSerializer.Deserialize(body, ApiJsonContext.Default.Acknowledged);
        await output.WriteLineAsync(done is null ? body.Trim() : $"model {done.Name} {done.Result}");
        return ExitCodes.Ok;
    }
}
