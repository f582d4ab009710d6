using System.Globalization;
using System.Text;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Linux starts no process whose arguments and environment together take more than a quarter of its stack limit (execve's
/// <c>E2BIG</c>, <c>argument list too long</c>; <c>ARG_MAX</c>): <see cref="MaxBytes"/> under the 8 MiB stack limit a
/// container gets from dockerd. Each string counts its UTF-8 bytes, its NUL and its pointer (8 bytes), as the kernel
/// counts them. Measured on dockerd 20.10 with runc (workflows17): a container whose strings so counted (the job's env, the
/// engine's <c>PATH</c> and <c>HOSTNAME</c>, runc's <c>HOME</c>, the argument and the program's path) came to 2097152
/// bytes started; one byte more and it exited 1 with <c>exec /bin/true: argument list too long</c>, a job FAILED after
/// it validated. <see cref="Reserve"/> stands for what the engine and runtime add to the job's own strings. Each string
/// alone is <see cref="ArgumentLength"/>'s (128 KiB).
/// </summary>
internal static class ArgumentSpace
{
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>What the engine and runtime add: the program's path, <c>PATH</c>, <c>HOSTNAME</c>, <c>HOME</c>, the GPU runtime's variables.</summary>
    public const int Reserve = 4096;

    private const int PointerBytes = 8;

    /// <summary>What <paramref name="text"/> takes of the space: its UTF-8 bytes, its NUL and its pointer.</summary>
    public static long Bytes(string text) => Encoding.UTF8.GetByteCount(text) + 1 + PointerBytes;

    /// <summary>
    /// The strings a job starts with, each named as an error shows it: <c>env.NAME</c> (<c>(secret 'S')</c> when a secret
    /// gives its value, <c>(the image's ENV)</c> for one of the image's own), <c>command[i]</c>, <c>args[i]</c>. A value
    /// not known (null: a secret at validate) counts as empty.
    /// </summary>
    public static List<(string Field, long Bytes)> Fields(IEnumerable<(string Name, string? Value, string? Source)> env, IEnumerable<string>? command, IEnumerable<string>? args)
    {
        ArgumentNullException.ThrowIfNull(env);
        var fields = new List<(string Field, long Bytes)>();
        fields.AddRange(env.Select(e => ($"env.{ValueReader.Shorten(e.Name)}{(e.Source is { } source ? $" ({source})" : string.Empty)}", Bytes($"{e.Name}={e.Value}"))));
        fields.AddRange((command ?? []).Select((item, i) => (string.Create(CultureInfo.InvariantCulture, $"command[{i}]"), Bytes(item))));
        fields.AddRange((args ?? []).Select((item, i) => (string.Create(CultureInfo.InvariantCulture, $"args[{i}]"), Bytes(item))));
        return fields;
    }

    /// <summary>
    /// Why a job whose strings are <paramref name="fields"/> cannot start, or null: the total, the limit and the three
    /// largest fields, by name and size (never a value).
    /// </summary>
    public static string? Problem(IReadOnlyList<(string Field, long Bytes)> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var total = fields.Sum(f => f.Bytes) + Reserve;
        if (total <= MaxBytes)
        {
            return null;
        }

        var largest = fields.OrderByDescending(f => f.Bytes).ThenBy(f => f.Field, StringComparer.Ordinal).Take(3)
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Field} {f.Bytes}"));
        return string.Create(CultureInfo.InvariantCulture, $"its environment and arguments come to {total} bytes (each string with its NUL and pointer, and {Reserve} for what the engine adds); Linux starts no process with more than {MaxBytes} (ARG_MAX, a quarter of the container's 8 MiB stack limit); the largest: {string.Join(", ", largest)}: give long text as a string input or a dataset, which the job reads from /inputs/NAME");
    }
}
