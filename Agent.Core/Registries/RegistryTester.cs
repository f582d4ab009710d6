using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Registries;

/// <summary>
/// Checks a connection against the registry's <c>/v2/</c> endpoint the way Docker would: plain, then with basic
/// auth or through the bearer-token service named in <c>WWW-Authenticate</c>. Says precisely which step failed;
/// never puts the password in a message. The registry is whatever URL a socket-group member gave: no answer is buffered
/// whole, and the one body read (the token service's) is read up to <see cref="MaxTokenAnswerBytes"/>.
/// </summary>
public sealed class RegistryTester(HttpClient http)
{
    /// <summary>The most a token service's answer may take (real ones are a few KiB).</summary>
    public const int MaxTokenAnswerBytes = 1024 * 1024;

    public async Task<RegistryTestResult> TestAsync(RegistryConnection connection, CancellationToken cancellationToken)
    {
        if (RegistryConnection.UrlProblem(connection.Url) is { } problem)
        {
            // A connection stored before such URLs were refused (one with user:password@): not sent anywhere.
            return Fail(connection, "connect", problem);
        }

        var v2 = new Uri(connection.BaseUri, "/v2/");
        HttpResponseMessage first;
        try
        {
            first = await http.GetAsync(v2, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Fail(connection, "connect", $"cannot reach {v2}: {ex.Message}");
        }

        using (first)
        {
            if (first.IsSuccessStatusCode)
            {
                return new RegistryTestResult(connection.Name, true, "connect", $"{v2} answers without credentials; the username and password were not needed");
            }

            if (first.StatusCode != HttpStatusCode.Unauthorized)
            {
                return Fail(connection, "connect", $"{v2} answered {(int)first.StatusCode} {first.ReasonPhrase}; is this a Docker registry?");
            }

            var challenge = first.Headers.WwwAuthenticate.FirstOrDefault();
            return challenge?.Scheme.ToLowerInvariant() switch
            {
                "basic" => await BasicAsync(connection, v2, cancellationToken).ConfigureAwait(false),
                "bearer" => await BearerAsync(connection, v2, challenge.Parameter ?? string.Empty, cancellationToken).ConfigureAwait(false),
                _ => Fail(connection, "auth", $"{v2} asks for an authentication scheme this node does not speak ({challenge?.Scheme ?? "none given"})"),
            };
        }
    }

    private async Task<RegistryTestResult> BasicAsync(RegistryConnection connection, Uri v2, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, v2);
        request.Headers.Authorization = BasicHeader(connection);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? new RegistryTestResult(connection.Name, true, "auth", $"{v2} accepted user '{connection.Username}'")
            : Fail(connection, "auth", $"{v2} rejected user '{connection.Username}' ({(int)response.StatusCode} {response.ReasonPhrase}): wrong username or password");
    }

    private async Task<RegistryTestResult> BearerAsync(RegistryConnection connection, Uri v2, string parameters, CancellationToken cancellationToken)
    {
        var values = ParseChallenge(parameters);
        if (!values.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            return Fail(connection, "token", $"{v2} asked for a bearer token but named no usable token service");
        }

        var query = new StringBuilder($"?account={Uri.EscapeDataString(connection.Username)}");
        if (values.TryGetValue("service", out var service))
        {
            query.Append("&service=").Append(Uri.EscapeDataString(service));
        }

        string? token;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realmUri, realmUri.AbsolutePath + query));
            request.Headers.Authorization = BasicHeader(connection);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Fail(connection, "token", $"the token service {realmUri.GetLeftPart(UriPartial.Path)} rejected user '{connection.Username}' ({(int)response.StatusCode}): wrong username or password");
            }

            using var json = JsonDocument.Parse(await BoundedContent.ReadAsync(response.Content, MaxTokenAnswerBytes, cancellationToken).ConfigureAwait(false));
            token = json.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Fail(connection, "token", $"the token service {realmUri.GetLeftPart(UriPartial.Path)} failed: {ex.Message}");
        }

        if (string.IsNullOrEmpty(token))
        {
            return Fail(connection, "token", $"the token service {realmUri.GetLeftPart(UriPartial.Path)} returned no token");
        }

        using var check = new HttpRequestMessage(HttpMethod.Get, v2);
        check.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var final = await http.SendAsync(check, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return final.IsSuccessStatusCode
            ? new RegistryTestResult(connection.Name, true, "token", $"{v2} accepted user '{connection.Username}' through its token service")
            : Fail(connection, "token", $"{v2} refused the token issued for user '{connection.Username}' ({(int)final.StatusCode})");
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryConnection connection) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}")));

    private static RegistryTestResult Fail(RegistryConnection connection, string step, string message) =>
        new(connection.Name, false, step, Redact(message, connection.Password));

    /// <summary>Removes the password from text that came back from elsewhere.</summary>
    public static string Redact(string text, string secret) =>
        secret.Length == 0 ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    private static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return values;
    }
}
