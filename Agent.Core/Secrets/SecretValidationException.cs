namespace GradientNode.Core.Secrets;

/// <summary>A secret or registry request is malformed (bad name, empty or oversized value); the API answers 400.</summary>
public sealed class SecretValidationException(string message) : Exception(message);
