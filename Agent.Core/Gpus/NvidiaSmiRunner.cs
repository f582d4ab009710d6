using System.Diagnostics;

namespace GradientNode.Core.Gpus;

/// <summary>The real <c>nvidia-smi</c>, found on <c>PATH</c> at each call (so installing the driver needs no restart).</summary>
public sealed class NvidiaSmiRunner(Func<string, string?>? environment = null) : INvidiaSmi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Func<string, string?> _env = environment ?? Environment.GetEnvironmentVariable;

    public async Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (Find() is not { } path)
        {
            return null;
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new NvidiaSmiException($"{path} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new NvidiaSmiException($"{path} did not answer within {Timeout.TotalSeconds:0} s");
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new NvidiaSmiException($"{path} exited with {process.ExitCode}: {(error + output).Trim()}");
    }

    /// <summary>The first executable <c>nvidia-smi</c> on PATH, or null.</summary>
    public string? Find()
    {
        foreach (var dir in (_env("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "nvidia-smi");
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
