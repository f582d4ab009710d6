using GradientNode.Core.Routing;
using GradientNode.Daemon.Configuration;
using GradientNode.Proxy.Tls;

namespace GradientNode.Daemon.Cli;

/// <summary><c>gradient-node tls ca</c>: prints the node CA's certificate (never its key) for clients to trust.</summary>
internal static class TlsCommand
{
    /// <summary>How long the running node is waited for before the run dir's file is read instead.</summary>
    public static readonly TimeSpan AskBound = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Prints the CA. <paramref name="askNode"/> asks the running node what it serves (<c>GET /v1/node/tls</c> through its
    /// socket: the same answer for a socket-group member as for root); null when it does not answer (not running, or the
    /// caller may not use its socket): then the proxy's <c>tls-names</c> file says it, to those who may read it (root).
    /// </summary>
    public static async Task<int> RunAsync(ParsedArgs args, Func<string, string?> env, TextWriter output, TextWriter error, Func<NodeOptions, CancellationToken, Task<(string RunDir, TlsNames? Names)?>>? askNode = null)
    {
        if (args.Positionals is not ["ca"])
        {
            throw new UsageException("tls takes one subcommand: ca");
        }

        var options = NodeOptionsLoader.Load(args, env);
        if (options.TlsCert is not null)
        {
            // The node CA serves nothing when --tls-cert is set (it is the default certificate): a CA left in the state dir
            // by an earlier start signs nothing this node serves, and trusting it would not make its certificates valid.
            // With --tls-dir alone it serves the hosts no certificate in the folder names, so it is printed.
            error.WriteLine($"gradient-node tls ca: this node serves the certificates of --tls-cert {options.TlsCert} (option, GRADIENT_TLS_* or node.yaml), " +
                "not one from its own CA; clients trust the CA that issued those");
            return ExitCodes.Failed;
        }

        using var bound = new CancellationTokenSource(AskBound);
        var answer = askNode is null ? null : await askNode(options, bound.Token);
        if ((answer is { Names: { } said } ? Given(answer.Value.RunDir, said) : answer is null ? ServingGivenCertificates(options) : null) is { } serving)
        {
            // The option may have been given on the running node's command line, which this command cannot see (newuser12:
            // a node restarted with --tls-cert after a start on its CA printed that CA, which signs nothing it serves). A CA
            // file is only said to be left over when there is one (newuser16: a node that never used its CA was told it had).
            var caFile = Path.Combine(NodeCertificateAuthority.DirectoryUnder(options.StateDir), "ca.crt");
            error.WriteLine($"gradient-node tls ca: the running node (run dir {serving.RunDir}) serves the certificates given to it " +
                $"(they name {string.Join(", ", serving.Names.Given.Take(TlsNames.MaxHostsNamed))}{(serving.Names.Given.Count > TlsNames.MaxHostsNamed ? ", …" : string.Empty)}), " +
                $"not one from its own CA{(File.Exists(caFile) ? $": {caFile} was left by an earlier start and signs nothing it serves" : string.Empty)}; " +
                "clients trust the CA that issued those certificates");
            return ExitCodes.Failed;
        }

        var pem = NodeCertificateAuthority.ReadCertificatePem(options.StateDir);
        if (pem is null)
        {
            // The client verbs find the daemon by its socket, but this one reads the state dir: a node started with
            // --state-dir elsewhere (as in a quick start) keeps its CA there, and the default path says nothing of that.
            error.WriteLine($"gradient-node tls ca: no node CA in {NodeCertificateAuthority.DirectoryUnder(options.StateDir)} yet; " +
                "it is created when the node starts with an https:// listener and no --tls-cert. " +
                "A node started with another --state-dir keeps it there: pass the same --state-dir (or GRADIENT_STATE_DIR)");
            return ExitCodes.Failed;
        }

        output.Write(pem);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// What a running proxy says it serves (<c>&lt;run-dir&gt;/tls-names</c>, in the run dir of the options or of the
    /// socket the client verbs use) when that is the given certificates alone, the node CA serving no host; else null
    /// (no proxy running, a file the caller may not read, or the node CA serving the hosts no certificate names).
    /// </summary>
    private static (string RunDir, TlsNames Names)? ServingGivenCertificates(NodeOptions options)
    {
        foreach (var runDir in new[] { options.RunDir, Path.GetDirectoryName(options.Socket) }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (Given(runDir, TlsNamesFile.Read(runDir)) is { } serving)
            {
                return serving;
            }
        }

        return null;
    }

    private static (string RunDir, TlsNames Names)? Given(string runDir, TlsNames? names) =>
        names is { NodeAuthorityServesTheRest: false, Given.Count: > 0 } ? (runDir, names) : null;

    /// <summary>
    /// The running node's answer to <c>GET /v1/node/tls</c> through <paramref name="api"/>: its run dir and what it serves
    /// (null names when it knows nothing: no https listener, no proxy has said); null when it does not answer.
    /// </summary>
    public static async Task<(string RunDir, TlsNames? Names)?> AskAsync(ApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            using var response = await api.SendAsync(HttpMethod.Get, "v1/node/tls", null, cancellationToken);
            if (!response.IsSuccessStatusCode
                || System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), Api.ApiJsonContext.Default.NodeTlsResponse) is not { } said)
            {
                return null; // a daemon of before (404): the file, as then
            }

            return (said.RunDir, said.NodeCaServesTheRest is { } rest ? new TlsNames(said.Given, rest) : null);
        }
        catch (Exception ex) when (ex is DaemonUnreachableException or System.Text.Json.JsonException or HttpRequestException or IOException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
