using System.Globalization;

namespace GradientNode.Core.Common;

/// <summary>
/// Words for a container's exit code. A code of 128 + N is how a shell and the engine report a process that a signal N
/// ended, so <c>137</c> is SIGKILL (<c>docker kill</c>, a stop past its grace period, the kernel) and <c>139</c> a
/// segmentation fault; the words name the signal and its usual cause, since the bare number says nothing to most users.
/// </summary>
public static class ContainerExit
{
    /// <summary><c>exited with code N</c>, with the signal it stands for when it is 128 + a known signal.</summary>
    public static string Describe(int code)
    {
        var text = code.ToString(CultureInfo.InvariantCulture);
        return Signal(code) is { } signal ? $"exited with code {text} ({signal})" : $"exited with code {text}";
    }

    /// <summary>The signal a code of 128 + N stands for, with its usual cause; null for any other code.</summary>
    public static string? Signal(int code) => code switch
    {
        129 => "SIGHUP: its terminal or parent went away",
        130 => "SIGINT: interrupted",
        131 => "SIGQUIT: asked to quit, with a core dump",
        132 => "SIGILL: an illegal instruction, often a binary built for another CPU",
        134 => "SIGABRT: the process aborted itself, e.g. a failed assertion or an uncaught C++ exception",
        135 => "SIGBUS: a bad memory access, e.g. a file it mapped was truncated or /dev/shm is full",
        136 => "SIGFPE: an arithmetic fault, e.g. an integer division by zero",
        137 => "SIGKILL: killed, e.g. by docker kill, a stop past its grace period or the kernel; out-of-memory kills are reported as such",
        139 => "SIGSEGV: a segmentation fault",
        141 => "SIGPIPE: it wrote to a pipe or socket whose reader had gone",
        143 => "SIGTERM: asked to stop, e.g. by docker stop",
        _ => null,
    };
}
