using System.Formats.Tar;
using System.Net;
using System.Text;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Every API route with hostile names, queries and bodies: 4xx answers, never a 5xx, nothing logged as unhandled.</summary>
internal sealed partial class HostileInputTests
{
    private const int RouteFuzzCount = 600;

    private static readonly string[] FuzzNames =
    [
        "a", "ok", new string('x', 300), "..", "%2e%2e", "%00", "a%0Ab", "%E2%80%AE", "My%20Demo", "-rf", "%FF", "a%2Fb", "secret:x",
        "latest", "0", "~", "%25", "%C3%A9", new string('a', 5000),
    ];

    private static readonly (string Method, string Path)[] FuzzRoutes =
    [
        ("GET", "v1/deployments/{n}"), ("PUT", "v1/deployments/{n}"), ("DELETE", "v1/deployments/{n}"), ("GET", "v1/deployments/{n}/logs"),
        ("POST", "v1/deployments/{n}/restart"), ("POST", "v1/deployments/{n}/scale"), ("POST", "v1/deployments/{n}/enable"),
        ("POST", "v1/deployments/{n}/disable"), ("GET", "v1/deployments/{n}/spec"), ("GET", "v1/history"), ("GET", "v1/models"),
        ("POST", "v1/models/{n}"), ("DELETE", "v1/models/{n}"), ("GET", "v1/datasets"), ("POST", "v1/datasets"), ("GET", "v1/datasets/{n}"),
        ("GET", "v1/datasets/{n}/users"), ("DELETE", "v1/datasets/{n}"), ("GET", "v1/datasets/{n}/versions"), ("POST", "v1/datasets/{n}/versions"),
        ("GET", "v1/datasets/{n}/versions/{m}"), ("GET", "v1/datasets/{n}/versions/{m}/content"), ("DELETE", "v1/datasets/{n}/versions/{m}"),
        ("PUT", "v1/datasets/{n}/tags/{m}"), ("POST", "v1/datasets/gc"), ("POST", "v1/workflows/{n}/runs"), ("GET", "v1/workflows"),
        ("GET", "v1/workflows/{n}/runs"), ("GET", "v1/workflows/{n}/runs/{m}"), ("GET", "v1/workflows/{n}/runs/{m}/logs"),
        ("POST", "v1/workflows/{n}/runs/{m}/cancel"), ("GET", "v1/registries"), ("PUT", "v1/registries/{n}"), ("DELETE", "v1/registries/{n}"),
        ("POST", "v1/registries/{n}/test"), ("GET", "v1/secrets"), ("PUT", "v1/secrets/{n}"), ("DELETE", "v1/secrets/{n}"), ("GET", "metrics"),
        ("GET", "v1/node"), ("GET", "{n}"),
    ];

    private static readonly string[] FuzzQueries =
    [
        "", "?replicas=3", "?replicas=-1", "?replicas=99999999999999", "?replicas=abc", "?follow=true&tail=-5", "?tail=99999999999", "?job=%00",
        "?since=zzz", "?message=%FF%FE", "?replicas=", "?tail=abc", "?window=-1",
    ];

    [Test]
    public async Task EveryRoute_HostileNamesQueriesAndBodies_NoServerErrorNothingLoggedAsUnhandledAndStaysHealthy()
    {
        var random = new Random(20261204);
        using var http = _node.SocketClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var failures = new List<string>();
        for (var i = 0; i < RouteFuzzCount; i++)
        {
            var (method, path) = FuzzRoutes[random.Next(FuzzRoutes.Length)];
            var uri = path.Replace("{n}", Pick(random, FuzzNames), StringComparison.Ordinal).Replace("{m}", Pick(random, FuzzNames), StringComparison.Ordinal)
                + Pick(random, FuzzQueries);
            using var request = new HttpRequestMessage(new HttpMethod(method), "/" + uri);
            if (method is "PUT" or "POST")
            {
                request.Content = new ByteArrayContent(Body(random));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, ["application/json", "application/x-tar", "text/plain", "application/yaml"]));
            }

            HttpResponseMessage response;
            try
            {
                // Headers only: a log stream (follow) would not end.
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (HttpRequestException ex) when (ex.InnerException is IOException)
            {
                // Answered (a 404, a 413) and closed before the whole body was sent: fine while the daemon still answers.
                if (!_node.IsRunning)
                {
                    failures.Add($"#{i} {method} {uri[..Math.Min(uri.Length, 120)]}: the daemon exited ({ex.Message})");
                    break;
                }

                continue;
            }

            using var answered = response;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"#{i} {method} {uri[..Math.Min(uri.Length, 120)]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(_node.IsRunning, Is.True, _node.Output);
        Assert.That(await _node.ApiGetAsync("v1/health"), Does.Contain("ok").IgnoreCase);
        Assert.That(_node.Output, Does.Not.Contain("An unhandled exception has occurred"));
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static byte[] Body(Random random) => random.Next(12) switch
    {
        0 => [],
        1 => "{"u8.ToArray(),
        2 => "null"u8.ToArray(),
        3 => Encoding.UTF8.GetBytes($$"""{"name": "{{Pick(random, FuzzNames)}}", "description": "{{new string('d', random.Next(100_000))}}"}"""),
        4 => """{"spec": "name: w\njobs: {a: {uses: container@v1, with: {image: x, args: [echo]}}}", "inputs": "x: ["}"""u8.ToArray(),
        5 => """{"spec": 123, "value": 5, "version": null}"""u8.ToArray(),
        6 => """{"url": "http://127.0.0.1:1", "username": "u", "password": "p"}"""u8.ToArray(),
        7 => """{"url": "\u0000", "username": null, "version": "../x"}"""u8.ToArray(),
        8 => RandomBytes(random),
        9 => "a: &a [*a]\n"u8.ToArray(),
        10 => Tar(random, truncated: false),
        _ => Tar(random, truncated: true),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 3000)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A tar with a regular file, a <c>../</c> entry and a link to <c>/etc/shadow</c>; or its first bytes only.</summary>
    private static byte[] Tar(Random random, bool truncated)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "f.txt") { DataStream = new MemoryStream("hello"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "ln") { LinkName = "/etc/shadow" });
        }

        var all = stream.ToArray();
        return truncated ? all[..random.Next(all.Length)] : all;
    }
}
