namespace GradientNode.Core.Registries;

/// <summary>The outcome of <c>registries test NAME</c>: <see cref="Step"/> says which step failed (connect, auth, token).</summary>
public sealed record RegistryTestResult(string Name, bool Ok, string Step, string Message);
