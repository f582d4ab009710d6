using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>The published binary's <c>gradient-node console</c> as a child process, on a free loopback port, against a node's socket.</summary>
internal sealed class ConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConsoleProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the console for <paramref name="node"/> and waits until it answers; <paramref name="open"/> adds
    /// <c>--open</c>, <paramref name="path"/> replaces its <c>PATH</c> (where it looks for <c>xdg-open</c>).
    /// </summary>
    public static async Task<ConsoleProcess> StartAsync(GradientNodeProcess node, bool open = false, string? path = null)
    {
        var port = GradientNodeProcess.FreePort();
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "console", "--listen", $"127.0.0.1:{port}", "--socket", node.Socket },
        };
        if (open)
        {
            start.ArgumentList.Add("--open");
        }

        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }
        var console = new ConsoleProcess(Process.Start(start)!, $"http://127.0.0.1:{port}/");
        console._process.OutputDataReceived += (_, e) => console.Append(e.Data);
        console._process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        console._process.BeginOutputReadLine();
        console._process.BeginErrorReadLine();
        using var http = new HttpClient();
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(console.Url);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return !console._process.HasExited && false;
                }
            },
            TestTimeouts.Short,
            "the console answers");
        return console;
    }

    /// <summary>A request to the console with the action header a page sends, or without it.</summary>
    public static HttpRequestMessage Post(string url, bool withHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        if (withHeader)
        {
            request.Headers.Add("X-Gradient-Console", "1");
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
