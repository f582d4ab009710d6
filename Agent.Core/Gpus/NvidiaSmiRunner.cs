using GradientNode.Core.Common;

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

        var result = await HostCommand.RunAsync(path, arguments, Timeout, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            { TimedOut: true } => throw new NvidiaSmiException($"{path} did not answer within {Timeout.TotalSeconds:0} s"),
            { ExitCode: 0 } => result.Output,
            _ => throw new NvidiaSmiException($"{path} exited with {result.ExitCode}: {(result.Error + result.Output).Trim()}"),
        };
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
