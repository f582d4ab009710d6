using System.Globalization;
using GradientNode.Core.Integrations;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>fetch s3://BUCKET/PREFIX DIR [--endpoint URL] [--region R]</c>: the s3 integration's download on its own, without a
/// daemon (pre-seeding, debugging, bench/s3-sync.sh). Keys come from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>.
/// </summary>
internal static class FetchCommand
{
    /// <summary>
    /// The options fetch takes; any other is a usage error, as for every client verb (before, <c>--bogus x</c> was ignored).
    /// <c>--socket</c> and <c>--run-dir</c>, which every client verb takes, are accepted and unused: fetch needs no daemon.
    /// </summary>
    public static readonly string[] Options = ["--endpoint", "--region", "--socket", "--run-dir"];

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.OptionNames.Concat(args.SetFlags).FirstOrDefault(n => !Options.Contains(n)) is { } unknown)
        {
            throw new UsageException(UsageHints.WithOptionHint($"unknown option {unknown} for fetch", unknown, Options));
        }

        if (args.Positionals.Count != 2 || !args.Positionals[0].StartsWith("s3://", StringComparison.Ordinal))
        {
            throw new UsageException("fetch needs s3://BUCKET/PREFIX DIR");
        }

        var (bucket, prefix) = S3Source.ParseUrl(args.Positionals[0]);
        var target = Path.GetFullPath(args.Positionals[1]);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new UsageException($"{target} is not empty");
        }

        if (OwnFolder.Make(target) is { } unsafeFolder)
        {
            throw new UsageException(unsafeFolder);
        }

        var source = new S3Source(bucket, prefix, args.Get("--region"), args.Get("--endpoint"),
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        var time = TimeProvider.System;
        var progress = new FetchProgress(time);
        var started = time.GetTimestamp();
        try
        {
            await new S3Fetcher().FetchAsync(source, target, progress, cancellationToken);
        }
        catch (IntegrationFetchException ex)
        {
            await error.WriteLineAsync($"gradient-node fetch: {ex.Message}");
            return ExitCodes.Failed;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"fetched {progress.FilesDone} files, {progress.BytesDone} bytes in {time.GetElapsedTime(started).TotalSeconds:F2}s"));
        return ExitCodes.Ok;
    }
}
