using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary><c>secrets set|ls|rm</c> and <c>registries add|ls|rm|test</c>. Values come from stdin or a file, never from arguments.</summary>
/// <remarks>
/// Standard input is read as bytes: a <see cref="TextReader"/> decodes bytes that are not UTF-8 to U+FFFD, so a value
/// piped in that was not UTF-8 was stored as replacement characters ("created") where the daemon refuses it from a file.
/// </remarks>
/// <param name="readHidden">Set when standard input is a terminal: reads a value without echo after a prompt (<see cref="HiddenInput"/>).</param>
internal sealed class SecretCommands(ApiClient api, Stream input, TextWriter output, TextWriter error, Func<string, byte[]?>? readHidden = null)
{
    /// <summary>The most read from standard input: more than any value or password may hold, so the daemon's limit speaks.</summary>
    private const int MaxInputBytes = 64 * 1024;

    public async Task<int> RunAsync(string verb, ParsedArgs args, CancellationToken cancellationToken)
    {
        var sub = args.Positionals.FirstOrDefault() ?? throw SubCommands.Missing(verb);
        var name = args.Positionals.Skip(1).FirstOrDefault();
        CheckNoMoreArguments(verb, sub, args.Positionals.Count - (name is null ? 1 : 2));
        if (name is not null && sub is not ("ls" or "list") && NameProblem(verb, name) is { } problem)
        {
            // Said here, before any request (the daemon refuses the same names, as typed, for callers of the API).
            error.WriteLine($"error: {problem}");
            return ExitCodes.Failed;
        }

        return (verb, sub) switch
        {
            ("secrets", "set") => await SetSecretAsync(Required(name, "secrets set NAME"), args.Get("--from-file"), cancellationToken),
            ("secrets", "ls" or "list") => await ListSecretsAsync(cancellationToken),
            ("secrets", "rm" or "delete") => await SendAsync(HttpMethod.Delete, $"v1/secrets/{Escape(Required(name, "secrets rm NAME"))}", null, cancellationToken),
            ("registries", "add" or "set") => await AddRegistryAsync(Required(name, "registries add NAME"), args, cancellationToken),
            ("registries", "ls" or "list") => await ListRegistriesAsync(cancellationToken),
            ("registries", "rm" or "delete") => await SendAsync(HttpMethod.Delete, $"v1/registries/{Escape(Required(name, "registries rm NAME"))}", null, cancellationToken),
            ("registries", "test") => await TestRegistryAsync(Required(name, "registries test NAME"), cancellationToken),
            _ => throw SubCommands.Unknown(verb, sub),
        };
    }

    private async Task<int> SetSecretAsync(string name, string? fromFile, CancellationToken cancellationToken)
    {
        byte[] value;
        if (fromFile is not null)
        {
            if ((Directory.Exists(fromFile) ? "is a folder; give the file that holds the value" : File.Exists(fromFile) ? null : "no such file") is { } problem)
            {
                error.WriteLine($"error: --from-file {fromFile}: {problem}");
                return ExitCodes.Failed;
            }

            if (await ReadOwnedAsync(fromFile, cancellationToken) is not { } read)
            {
                return ExitCodes.Failed;
            }

            value = read;
        }
        else
        {
            // One trailing newline (from echo or a terminal) is not part of the value.
            var bytes = readHidden is not null ? readHidden($"value of secret '{name}' (not shown; Enter ends it): ") ?? [] : await ReadInputAsync(cancellationToken);
            value = bytes.AsSpan().EndsWith("\r\n"u8) ? bytes[..^2] : bytes.AsSpan().EndsWith("\n"u8) ? bytes[..^1] : bytes;
        }

        var content = new ByteArrayContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(HttpMethod.Put, $"v1/secrets/{Escape(name)}", content, cancellationToken);
    }

    /// <summary>
    /// The file's bytes, when it is a regular file reached through no other user's link (<see cref="LinkOwners"/>): root
    /// may run <c>secrets set NAME --from-file /home/alice/token</c>, and alice's link there to a file only root reads would
    /// make that file a secret her deployments read. Null (the error written) otherwise.
    /// </summary>
    private async Task<byte[]?> ReadOwnedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var handle = RegularFile.TryOpenForRead(path);
            if (handle is null)
            {
                await error.WriteLineAsync($"error: --from-file {path}: not a regular file (a fifo, device or socket)");
                return null;
            }

            LinkOwners.CheckWholePath(path, handle);
            await using var stream = new FileStream(handle, FileAccess.Read);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, cancellationToken);
            return bytes.ToArray();
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: --from-file {path}: {ex.Message}; nothing was stored");
            return null;
        }
    }

    private async Task<int> ListSecretsAsync(CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "v1/secrets", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Print(body, ok: false);
        }

        using var json = JsonDocument.Parse(body);
        List<string[]> rows = [["NAME", "MODIFIED"]];
        rows.AddRange(json.RootElement.EnumerateArray().Select(secret =>
            new[] { secret.GetProperty("name").GetString() ?? string.Empty, secret.TryGetProperty("damaged", out _) ? "(damaged)" : secret.GetProperty("modified").GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture) }));
        StatusPrinter.WriteColumns(output, rows);

        // Each damaged one's reason on a line of its own: too long for a column.
        foreach (var secret in json.RootElement.EnumerateArray().Where(s => s.TryGetProperty("damaged", out _)))
        {
            output.WriteLine($"{secret.GetProperty("name").GetString()}: {secret.GetProperty("damaged").GetString()}; set it again or remove it");
        }

        return ExitCodes.Ok;
    }

    private async Task<int> AddRegistryAsync(string name, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (!args.Has("--password-stdin"))
        {
            throw new UsageException("registries add reads the password from stdin: pass --password-stdin (a password on the command line would show in process listings)");
        }

        var url = args.Get("--url") ?? throw new UsageException("registries add needs --url URL");
        var username = args.Get("--username") ?? throw new UsageException("registries add needs --username U");
        string password;
        try
        {
            var bytes = readHidden is not null ? readHidden($"password of registry connection '{name}' (not shown; Enter ends it): ") ?? [] : await ReadInputAsync(cancellationToken);
            password = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimEnd('\r', '\n');
        }
        catch (DecoderFallbackException)
        {
            error.WriteLine("error: the password on standard input is not UTF-8 text; nothing was stored");
            return ExitCodes.Failed;
        }

        // The API's own request body: a RegistryConnection would also serialise its derived BaseUri, which throws on a
        // URL the daemon is there to refuse with a message that names the problem.
        var body = JsonSerializer.Serialize(
            new RegistryRequest(url, username, password, args.Get("--namespace")),
            ApiJsonContext.Default.RegistryRequest);
        return await SendAsync(HttpMethod.Put, $"v1/registries/{Escape(name)}", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
    }

    private async Task<int> ListRegistriesAsync(CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "v1/registries", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Print(body, ok: false);
        }

        var registries = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ListRegistryInfo) ?? [];
        List<string[]> rows = [["NAME", "URL", "USERNAME", "NAMESPACE"]];
        rows.AddRange(registries.Select(registry => registry.Damaged is null
            ? new[] { registry.Name, registry.Url, registry.Username, registry.Namespace ?? "-" }
            : [registry.Name, "(damaged)", "-", "-"]));
        StatusPrinter.WriteColumns(output, rows);

        // Each damaged one's reason on a line of its own: too long for a column.
        foreach (var registry in registries.Where(r => r.Damaged is not null))
        {
            output.WriteLine($"{registry.Name}: {registry.Damaged}; add it again or remove it (gradient-node registries rm {registry.Name})");
        }

        return ExitCodes.Ok;
    }

    private async Task<int> TestRegistryAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Post, $"v1/registries/{Escape(name)}/test", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return Print(body, ok: false);
        }

        var result = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.RegistryTestResult)!;
        (result.Ok ? output : error).WriteLine($"{(result.Ok ? "ok" : "failed")} ({result.Step}): {result.Message}");
        return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private async Task<int> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(method, path, content, cancellationToken);
        return Print(await response.Content.ReadAsStringAsync(cancellationToken), response.IsSuccessStatusCode);
    }

    private int Print(string body, bool ok)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (ok)
            {
                output.WriteLine($"{json.RootElement.GetProperty("name").GetString()}: {json.RootElement.GetProperty("result").GetString()}");
                return ExitCodes.Ok;
            }

            error.WriteLine($"error: {json.RootElement.GetProperty("error").GetString()}");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            (ok ? output : error).WriteLine(body.Trim());
        }

        return ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Standard input's bytes, at most <see cref="MaxInputBytes"/> + 1 (the daemon refuses what is too long, saying its limit).</summary>
    private async Task<byte[]> ReadInputAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length <= MaxInputBytes && (read = await input.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Arguments past NAME are a usage error that repeats none of them: <c>secrets set NAME VALUE</c> is the likely one, and
    /// its value would otherwise be dropped in silence (stdin read instead) after showing in process listings.
    /// </summary>
    private static void CheckNoMoreArguments(string verb, string sub, int extra)
    {
        if (extra <= 0)
        {
            return;
        }

        var takes = (verb, sub) switch
        {
            (_, "ls" or "list") => "no arguments",
            ("secrets", "set") => "one argument, NAME; the value comes from standard input or --from-file FILE, never from an argument (it would show in process listings)",
            ("registries", "add" or "set") => "one argument, NAME; the password comes from standard input (--password-stdin), never from an argument (it would show in process listings)",
            _ => "one argument, NAME",
        };
        throw new UsageException($"{verb} {sub} takes {takes}; {extra} more argument{(extra == 1 ? " was" : "s were")} given (not repeated here)");
    }

    private static string? NameProblem(string verb, string name)
    {
        var printable = new string([.. name.Take(64).Select(c => char.IsControl(c) ? '?' : c)]) + (name.Length > 64 ? "…" : string.Empty);
        return verb == "secrets"
            ? SecretName.IsValid(name) ? null : $"invalid secret name '{printable}': {SecretName.Rule}"
            : RegistryConnection.IsValidName(name) ? null : $"invalid registry name '{printable}': {RegistryConnection.NameRule}";
    }

    private static string Required(string? value, string usage) => value ?? throw new UsageException($"usage: gradient-node {usage}");

    private static string Escape(string value) => Uri.EscapeDataString(value);

}
