namespace GradientNode.Core.Common;

/// <summary>How a host command ended: its exit code and what it printed.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>True when the command was killed for running past its time (<see cref="HostCommand.RunAsync"/>).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The first line of what the command said, error output first.</summary>
    public string FirstLine
    {
        get
        {
            var text = (Error.Trim().Length > 0 ? Error : Output).Trim();
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            return end < 0 ? text : text[..end].TrimEnd();
        }
    }
}
