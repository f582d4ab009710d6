namespace GradientNode.Core.Secrets;

/// <summary>What may be shown of a secret: its name and when it was last set. Never its value.</summary>
public sealed record SecretInfo(string Name, DateTimeOffset Modified);
