namespace GradientNode.Core.Reconciliation;

/// <summary>One listing of this node's containers (<see cref="ReplicaObserver.ListSlugsAsync"/>).</summary>
/// <param name="Slugs">Every deployment slug that has containers, each with a fingerprint of its containers' ids and states.</param>
/// <param name="Ids">The id of every container of this node, deployment or not.</param>
public sealed record NodeContainers(IReadOnlyDictionary<string, string> Slugs, IReadOnlySet<string> Ids);
