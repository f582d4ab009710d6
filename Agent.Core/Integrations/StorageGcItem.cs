namespace GradientNode.Core.Integrations;

/// <summary>
/// One thing a collection pass removes: <see cref="Kind"/> <c>version</c> (<see cref="Name"/> <c>NAME:VERSION</c>),
/// <c>staging</c> (the folder under <c>datasets/.staging</c>), <c>objects</c> (the shared files no version names any more,
/// <see cref="Name"/> their count), <c>cache</c> (the folder) or <c>dataset</c> (an empty one a failed legacy clone created); <see cref="Bytes"/> its apparent size (the files' lengths,
/// shared ones in full) and <see cref="Reason"/> why it goes.
/// </summary>
public sealed record StorageGcItem(string Kind, string Name, long Bytes, string Reason);
