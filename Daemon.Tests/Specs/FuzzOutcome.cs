namespace GradientNode.Tests.Specs;

/// <summary>What <see cref="ParserFuzz.Run"/> saw: how many mutants parsed valid and invalid, and each failure.</summary>
internal sealed record FuzzOutcome(int Valid, int Invalid, IReadOnlyList<string> Failures);
