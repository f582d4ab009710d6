namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// One line of the progress display: <paramref name="Key"/> names what it is about (state, pull, volume X, replica N,
/// endpoint); <paramref name="Text"/> is the live line; <paramref name="Change"/> is the coarser text whose change is worth
/// a line in plain mode (pull and download bytes in 10 % steps); <paramref name="Fraction"/> draws a bar when set.
/// </summary>
internal sealed record ProgressFact(string Key, string Text, string Change, double? Fraction = null);
