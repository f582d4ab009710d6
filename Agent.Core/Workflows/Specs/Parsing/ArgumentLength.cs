using System.Text;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Linux starts no process with one argument or environment entry over <see cref="MaxBytes"/> bytes, its NUL included
/// (<c>MAX_ARG_STRLEN</c>, 32 pages), and a value may hold 256 Ki characters (<c>YamlGuard</c>): a longer <c>args</c> or
/// <c>command</c> item, or <c>NAME=value</c> env entry, would validate and then end its job FAILED with
/// <c>exec …: argument list too long</c>. Counted in UTF-8 bytes, as the kernel does. (A script@v1 script is a file,
/// <c>JobScriptFile</c>, so it has no such limit.)
/// </summary>
internal static class ArgumentLength
{
    public const int MaxBytes = 32 * 4096;

    /// <summary>Why <paramref name="argument"/> cannot be an argument, or null.</summary>
    public static string? ArgumentProblem(string argument) =>
        Bytes(argument) is var bytes && bytes > MaxBytes
            ? $"{bytes} bytes with its NUL; Linux starts no process with an argument over {MaxBytes} (MAX_ARG_STRLEN): put long text in a script@v1 script or a file the job reads"
            : null;

    /// <summary>Why <c>NAME=value</c> cannot be an environment entry, or null.</summary>
    public static string? EnvProblem(string name, string value) =>
        Bytes($"{name}={value}") is var bytes && bytes > MaxBytes
            ? $"{ValueReader.Shorten(name)}=… is {bytes} bytes with its NUL; Linux starts no process with an environment entry over {MaxBytes} (MAX_ARG_STRLEN): give long text as a string input, read from /inputs/NAME"
            : null;

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text) + 1;
}
