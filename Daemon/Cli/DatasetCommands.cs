// Over 300 lines: every datasets verb of the CLI with its argument checks and printers; each verb is short, and splitting them would scatter one usage table.
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>datasets create | ls | versions | get | upload | download | tag | rm | gc</c>. Upload and download move the files
/// as a tar stream over the socket: the client reads and writes the folders with the caller's own permissions.
/// </summary>
internal sealed class DatasetCommands(ApiClient api, TextWriter output, TextWriter error, DatasetProgress? progress, int? terminalWidth = null)
{
    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var sub = args.Positionals.FirstOrDefault() ?? throw SubCommands.Missing("datasets");
        var rest = args.Positionals.Skip(1).ToList();
        string Arg(int index, string what) => rest.Count > index ? rest[index] : throw new UsageException($"datasets {sub} needs {what}");
        var format = args.Get("-o", "--output");
        if (sub is "ls" or "list" or "versions" or "gc")
        {
            ClientCommands.CheckJsonOnly(format);
        }

        return sub switch
        {
            "create" => await CreateAsync(Arg(0, "a NAME"), args.Get("--description"), cancellationToken),
            "ls" or "list" => await ListAsync(format, cancellationToken),
            "versions" => await VersionsAsync(Arg(0, "a NAME"), format, cancellationToken),
            "get" => await GetAsync(Arg(0, "a REF (NAME, NAME:VERSION or NAME:TAG)"), format, cancellationToken),
            "upload" => await UploadAsync(Arg(0, "a NAME"), Arg(1, "a DIR"), args.Get("--message"), cancellationToken),
            "download" => await DownloadAsync(Arg(0, "a REF"), Arg(1, "a DIR"), cancellationToken),
            "tag" => await TagAsync(Arg(0, "NAME:VERSION"), Arg(1, "a TAG"), cancellationToken),
            "untag" => await UntagAsync(Arg(0, "NAME:TAG"), cancellationToken),
            "rm" or "delete" => await RemoveAsync(Arg(0, "NAME or NAME:VERSION"), cancellationToken),
            "gc" => await GcAsync(args.Has("--dry-run"), format, cancellationToken),
            _ => throw SubCommands.Unknown("datasets", sub),
        };
    }

    private async Task<int> CreateAsync(string name, string? description, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new DatasetCreateRequest(name, description), DatasetApiJsonContext.Default.DatasetCreateRequest);
        var (ok, text) = await CallAsync(HttpMethod.Post, "v1/datasets", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        if (ok && await CallAsync(HttpMethod.Get, "v1/datasets", null, cancellationToken) is (true, var list)
            && JsonSerializer.Deserialize(list, DatasetJsonContext.Default.ListDatasetInfo)?.FirstOrDefault(d => d.Name != name && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) is { } twin)
        {
            // Names are case-sensitive (documented): say so when the new one is another's letters in another case.
            await error.WriteLineAsync($"warning: dataset '{twin.Name}' exists too: its name differs from '{name}' only by case, and they are two datasets (a reference must match the case exactly)");
        }

        return ok ? await DoneAsync($"dataset {name} created") : ExitCodes.Failed;
    }

    private async Task<int> ListAsync(string? format, CancellationToken cancellationToken)
    {
        var (ok, text) = await CallAsync(HttpMethod.Get, "v1/datasets", null, cancellationToken);
        if (!ok || await PrintedJsonAsync(text, format))
        {
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var rows = new List<string[]> { new[] { "NAME", "VERSIONS", "LATEST", "SIZE", "DESCRIPTION" } };
        rows.AddRange((JsonSerializer.Deserialize(text, DatasetJsonContext.Default.ListDatasetInfo) ?? []).Select(d => new[]
        {
            d.Name, d.Versions.ToString(CultureInfo.InvariantCulture), d.Latest ?? "-", Size(d.Bytes, d.Files), d.Description ?? "",
        }));
        StatusPrinter.WriteColumns(output, rows);
        return ExitCodes.Ok;
    }

    private async Task<int> VersionsAsync(string name, string? format, CancellationToken cancellationToken)
    {
        var (ok, text) = await CallAsync(HttpMethod.Get, $"v1/datasets/{Uri.EscapeDataString(name)}/versions", null, cancellationToken);
        if (!ok || await PrintedJsonAsync(text, format))
        {
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }

        // The ID column holds the version id alone (the NAME is the command's argument); -o json keeps each "id" as NAME:ID.
        var rows = new List<string[]> { new[] { "ID", "CREATED", "SIZE", "TAGS", "MESSAGE" } };
        rows.AddRange((JsonSerializer.Deserialize(text, DatasetJsonContext.Default.ListDatasetVersion) ?? []).Select(v => new[]
        {
            v.Version, v.Created.ToString("u", CultureInfo.InvariantCulture), Size(v.Bytes, v.Files), string.Join(',', v.Tags), v.Message ?? "",
        }));
        // A description holds up to 4,096 bytes and line breaks: one line of at most 100 columns here, whole in -o json.
        MessageColumn.Cut(rows, terminalWidth);
        StatusPrinter.WriteColumns(output, rows);
        return ExitCodes.Ok;
    }

    /// <summary><c>NAME</c> prints the dataset; <c>NAME:VERSION</c> and <c>NAME:TAG</c> print the version.</summary>
    private async Task<int> GetAsync(string reference, string? format, CancellationToken cancellationToken)
    {
        var parsed = Parse(reference);
        var path = parsed.Selector is null ? $"v1/datasets/{Uri.EscapeDataString(parsed.Name)}" : VersionPath(parsed);
        var (ok, text) = await CallAsync(HttpMethod.Get, path, null, cancellationToken);
        if (!ok)
        {
            return ExitCodes.Failed;
        }

        if (format is "yaml")
        {
            // The JSON answer as YAML, as `workflows get -o yaml` does: times stay the API's text, not a DateTimeOffset's properties.
            await output.WriteAsync(JsonYaml.Convert(text));
            return ExitCodes.Ok;
        }

        return format is null or "json" ? await DoneAsync(text.Trim()) : throw new UsageException($"-o takes json or yaml, not '{format}'");
    }

    /// <summary>The client reads DIR (as the calling user) and uploads it as a tar stream; the daemon never opens DIR.</summary>
    private async Task<int> UploadAsync(string name, string dir, string? message, CancellationToken cancellationToken)
    {
        if (DatasetReference.CheckName(name) is { } bad)
        {
            throw new UsageException(bad);
        }

        DirectoryTarContent content;
        try
        {
            content = DirectoryTarContent.Of(Path.GetFullPath(dir));
        }
        catch (UploadSourceException ex)
        {
            await error.WriteLineAsync($"datasets upload: {ex.Message}; nothing was uploaded");
            return ExitCodes.Failed;
        }

        using (content)
        {
            var total = content.EstimatedBytes;
            if (progress is not null)
            {
                content.Observe = s => progress.Track(s, "upload  ", total);
            }

            var query = message is null ? "" : "?message=" + Uri.EscapeDataString(message);
            try
            {
                var (ok, text) = await CallAsync(HttpMethod.Post, $"v1/datasets/{Uri.EscapeDataString(name)}/versions{query}", content, cancellationToken, quiet: true);
                progress?.Finish("upload  ", total);
                if (!ok)
                {
                    return ExitCodes.Failed;
                }

                var version = JsonSerializer.Deserialize(text, DatasetJsonContext.Default.DatasetVersion)!;
                return await DoneAsync(string.Create(CultureInfo.InvariantCulture, $"{version.Id} committed ({Size(version.Bytes, version.Files)})"));
            }
            catch (HttpRequestException ex) when (FindSourceProblem(ex) is { } problem)
            {
                await error.WriteLineAsync($"datasets upload: {problem.Message}; nothing was committed");
                return ExitCodes.Failed;
            }
        }
    }

    /// <summary>Streams a version as a tar and unpacks it into DIR (new or empty) with the same checks as an upload.</summary>
    private async Task<int> DownloadAsync(string reference, string dir, CancellationToken cancellationToken)
    {
        var parsed = Parse(reference);
        var target = Path.GetFullPath(dir);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
        {
            throw new UsageException($"datasets download: {target} must be a new or empty folder");
        }

        if (OwnFolder.Problem(target) is { } foreign)
        {
            throw new UsageException($"datasets download: {foreign}");
        }

        using var response = await api.SendAsync(HttpMethod.Get, VersionPath(parsed) + "/content", null, cancellationToken, stream: true);
        if (!response.IsSuccessStatusCode)
        {
            await error.WriteLineAsync(ErrorText(await response.Content.ReadAsStringAsync(cancellationToken)));
            return ExitCodes.Failed;
        }

        var bytes = long.TryParse(response.Headers.TryGetValues(DatasetEndpoints.BytesHeader, out var values) ? values.FirstOrDefault() : null, CultureInfo.InvariantCulture, out var b) ? b : 0;
        Directory.CreateDirectory(target);
        if (OwnFolder.Problem(target) is { } madeMeanwhile)
        {
            await error.WriteLineAsync($"datasets download: {madeMeanwhile}; nothing was written");
            return ExitCodes.Failed;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var stream = progress?.Track(body, "download", bytes) ?? body;
        try
        {
            var (got, files) = await TarExtractor.ExtractAsync(stream, target, long.MaxValue, cancellationToken);
            progress?.Finish("download", got);
            var id = response.Headers.TryGetValues("X-Dataset-Version", out var ids) ? ids.FirstOrDefault() : reference;
            return await DoneAsync(string.Create(CultureInfo.InvariantCulture, $"{id} downloaded to {target} ({Size(got, files)})"));
        }
        catch (UploadRejectedException ex)
        {
            await error.WriteLineAsync($"datasets download: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    private async Task<int> TagAsync(string reference, string tag, CancellationToken cancellationToken)
    {
        var parsed = Parse(reference);
        var body = JsonSerializer.Serialize(new DatasetTagRequest(parsed.Selector ?? throw new UsageException("datasets tag needs NAME:VERSION TAG")), DatasetApiJsonContext.Default.DatasetTagRequest);
        var (ok, text) = await CallAsync(HttpMethod.Put, $"v1/datasets/{Uri.EscapeDataString(parsed.Name)}/tags/{Uri.EscapeDataString(tag)}", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        return ok ? await DoneAsync($"{JsonSerializer.Deserialize(text, DatasetJsonContext.Default.DatasetVersion)!.Id} tagged {tag}") : ExitCodes.Failed;
    }

    private async Task<int> UntagAsync(string reference, CancellationToken cancellationToken)
    {
        var parsed = Parse(reference);
        var tag = parsed.Selector ?? throw new UsageException("datasets untag needs NAME:TAG");
        var (ok, text) = await CallAsync(HttpMethod.Delete, $"v1/datasets/{Uri.EscapeDataString(parsed.Name)}/tags/{Uri.EscapeDataString(tag)}", null, cancellationToken);
        return ok ? await DoneAsync($"{reference} removed (it pointed at {JsonSerializer.Deserialize(text, DatasetJsonContext.Default.DatasetVersion)!.Id}, which stays)") : ExitCodes.Failed;
    }

    private async Task<int> RemoveAsync(string reference, CancellationToken cancellationToken)
    {
        var parsed = Parse(reference);
        var path = parsed.Selector is null ? $"v1/datasets/{Uri.EscapeDataString(parsed.Name)}" : $"v1/datasets/{Uri.EscapeDataString(parsed.Name)}/versions/{Uri.EscapeDataString(parsed.Selector)}";
        var (ok, _) = await CallAsync(HttpMethod.Delete, path, null, cancellationToken);
        return ok ? await DoneAsync($"{reference} removed") : ExitCodes.Failed;
    }

    private async Task<int> GcAsync(bool dryRun, string? format, CancellationToken cancellationToken)
    {
        var (ok, text) = await CallAsync(HttpMethod.Post, dryRun ? "v1/datasets/gc?dryRun=true" : "v1/datasets/gc", null, cancellationToken);
        if (!ok || await PrintedJsonAsync(text, format))
        {
            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        }

        foreach (var line in GcReportText.Lines(JsonSerializer.Deserialize(text, DatasetApiJsonContext.Default.StorageGcReport)!))
        {
            await output.WriteLineAsync(line);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The daemon's <c>{"error": …}</c> as plain text (quotes unescaped), or the body as it came.</summary>
    private static string ErrorText(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiError)?.Error is { } message ? "error: " + message : body.Trim();
        }
        catch (JsonException)
        {
            return body.Trim();
        }
    }

    private static DatasetReference Parse(string reference)
    {
        try
        {
            return DatasetReference.Parse(reference);
        }
        catch (DatasetException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string VersionPath(DatasetReference reference) =>
        $"v1/datasets/{Uri.EscapeDataString(reference.Name)}/versions/{Uri.EscapeDataString(reference.Selector ?? DatasetReference.Latest)}";

    private async Task<(bool Ok, string Text)> CallAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool quiet = false)
    {
        using var response = await api.SendAsync(method, path, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if (quiet && progress is not null)
            {
                await error.WriteLineAsync();
            }

            await error.WriteLineAsync(ErrorText(text));
        }

        return (response.IsSuccessStatusCode, text);
    }

    /// <summary>Prints the API's JSON for <c>-o json</c> (the format was checked in <see cref="RunAsync"/>); false: print the table.</summary>
    private async Task<bool> PrintedJsonAsync(string text, string? format)
    {
        if (format != "json")
        {
            return false;
        }

        await output.WriteLineAsync(text.Trim());
        return true;
    }

    private async Task<int> DoneAsync(string line)
    {
        await output.WriteLineAsync(line);
        return ExitCodes.Ok;
    }

    private static string Size(long bytes, long files) => SizeText.WithFiles(bytes, files);

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
}
