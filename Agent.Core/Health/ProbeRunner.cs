using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Health;

/// <summary>
/// Runs one probe against one replica: an HTTP GET to <c>http://&lt;ip&gt;:&lt;port&gt;&lt;path&gt;</c> (status 200–399 is
/// success; headers and <c>host</c> from the spec; no redirects followed, no keep-alive), or an exec in the container
/// (exit code 0 is success). <c>timeoutSeconds</c> bounds both (at least 1 s). Header values go out as UTF-8. The answer's
/// body is never read and its headers are bounded (64 KiB, the handler's default); what of the answer reaches the status
/// (a reason phrase, the status line an error quotes) is cut and stripped of control characters (<see cref="ReplicaText"/>).
/// </summary>
public sealed class ProbeRunner(IContainerEngine engine, HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>The most characters of a replica's reason phrase a probe's message keeps (its control characters become <c>?</c>).</summary>
    public const int MaxReasonPhrase = 100;

    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(30),

        // Header values are sent as UTF-8, as Kubernetes' prober (Go) sends them: the spec allows any text but control
        // characters, and the default (ASCII only) failed every probe of a header such as "value: café".
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<ProbeResult> RunAsync(ProbeSpec probe, string containerId, string? ip, int appPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds));
        return probe.Action == ProbeAction.Exec
            ? await ExecAsync(probe, containerId, timeout, cancellationToken).ConfigureAwait(false)
            : await HttpAsync(probe, ip, probe.Port ?? appPort, timeout, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task<ProbeResult> HttpAsync(ProbeSpec probe, string? ip, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ip is null)
        {
            return ProbeResult.Fail("error", "the container has no IP address");
        }

        var path = string.IsNullOrEmpty(probe.Path) ? "/" : probe.Path.StartsWith('/') ? probe.Path : "/" + probe.Path;
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{ip}:{port}{path}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        foreach (var header in probe.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        if (probe.Host is { Length: > 0 } host)
        {
            request.Headers.Host = host;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            // One wording whether or not the replica sent a reason phrase ("HTTP/1.1 200 ", busybox httpd): the standard
            // phrase stands in for a missing one. Before, such a probe said "200 from GET …" beside another's "200 OK from GET …".
            var phrase = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? ReasonPhrases.GetReasonPhrase(code) : ReplicaText.Printable(response.ReasonPhrase, MaxReasonPhrase);
            var reason = phrase.Length == 0 ? string.Empty : $" {phrase}";
            var text = string.Create(CultureInfo.InvariantCulture, $"{code}{reason} from GET {path} on port {port}");
            return code is >= 200 and < 400 ? ProbeResult.Ok(text) : ProbeResult.Fail("httpStatus", text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail("timeout", $"GET {path} on port {port} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return ProbeResult.Fail("connectionRefused", $"connection refused on {ip}:{port}");
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Fail("error", $"GET {path} on port {port}: {ReplicaText.Printable(ex.Message.ReplaceLineEndings(" "), ReplicaText.DefaultMax)}");
        }
    }

    private async Task<ProbeResult> ExecAsync(ProbeSpec probe, string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = string.Join(' ', probe.ExecCommand);
        try
        {
            var result = await engine.ExecAsync(containerId, [.. probe.ExecCommand], timeout, cancellationToken).ConfigureAwait(false);
            var output = result.Output.Trim();
            var tail = ReplicaText.Printable((output.Length > 200 ? output[^200..] : output).ReplaceLineEndings(" "));
            var text = string.Create(CultureInfo.InvariantCulture, $"'{command}' exited with {result.ExitCode}{(tail.Length > 0 ? ": " + tail : string.Empty)}");
            return result.ExitCode == 0 ? ProbeResult.Ok(text) : ProbeResult.Fail("exitCode", text);
        }
        catch (TimeoutException)
        {
            return ProbeResult.Fail("timeout", $"'{command}' timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (EngineException ex)
        {
            return ProbeResult.Fail("error", $"'{command}' could not run: {ex.Message}");
        }
    }
}
