using GradientNode.Daemon.Configuration;
using GradientNode.Proxy.Tls;

namespace GradientNode.Daemon.Cli;

/// <summary><c>gradient-node tls ca</c>: prints the node CA's certificate (never its key) for clients to trust.</summary>
internal static class TlsCommand
{
    public static int Run(ParsedArgs args, Func<string, string?> env, TextWriter output, TextWriter error)
    {
        if (args.Positionals is not ["ca"])
        {
            throw new UsageException("tls takes one subcommand: ca");
        }

        var options = NodeOptionsLoader.Load(args, env);
        var pem = NodeCertificateAuthority.ReadCertificatePem(options.StateDir);
        if (pem is null)
        {
            error.WriteLine($"gradient-node tls ca: no node CA in {NodeCertificateAuthority.DirectoryUnder(options.StateDir)} yet; " +
                "it is created when the node starts with an https:// listener and no --tls-cert or --tls-dir");
            return ExitCodes.Failed;
        }

        output.Write(pem);
        return ExitCodes.Ok;
    }
}
