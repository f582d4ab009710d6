namespace GradientNode.Core.Health;

/// <summary>
/// The result of one probe. <see cref="Result"/> is a stable word for status: <c>success</c>, <c>httpStatus</c>
/// (a status outside 200–399), <c>connectionRefused</c>, <c>timeout</c>, <c>exitCode</c> (exec), <c>error</c>.
/// </summary>
public sealed record ProbeResult(bool Success, string Result, string Message)
{
    public static ProbeResult Ok(string message) => new(true, "success", message);

    public static ProbeResult Fail(string result, string message) => new(false, result, message);
}
