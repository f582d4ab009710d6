using System.Text;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// A value typed at a terminal, not shown: <c>secrets set NAME</c> and <c>registries add … --password-stdin</c> read
/// standard input, and on a terminal that echoed what was typed (in scrollback, over a shoulder, in a recording), with no
/// prompt saying input was awaited nor how to end it. Only used when standard input is a terminal; piped input is read
/// as bytes, unchanged.
/// </summary>
internal static class HiddenInput
{
    /// <summary>Writes <paramref name="prompt"/> to standard error and reads keys without echo until Enter; null on Ctrl-D at the start.</summary>
    public static byte[]? Read(string prompt)
    {
        Console.Error.Write(prompt);
        var value = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return Encoding.UTF8.GetBytes(value.ToString());
                case ConsoleKey.Backspace:
                    if (value.Length > 0)
                    {
                        value.Length--;
                    }

                    break;
                case ConsoleKey.D when key.Modifiers == ConsoleModifiers.Control:
                    Console.Error.WriteLine();
                    return value.Length == 0 ? null : Encoding.UTF8.GetBytes(value.ToString());
                default:
                    if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
                    {
                        value.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
