namespace GradientNode.Core.Integrations;

/// <summary>The most bytes one clone may receive from its server (its pack): the free space its disk had when the clone began.</summary>
internal sealed record GitCloneLimit(long Bytes)
{
    /// <summary>The error for a clone of <paramref name="redactedUrl"/> whose server sent <paramref name="received"/> bytes, past the limit.</summary>
    public IntegrationFetchException Exceeded(string redactedUrl, long received) => new(
        $"git clone {redactedUrl} failed: the node's disk is full for it: the repository sent {received} bytes, more than the {Bytes} bytes the node's disk had free when the clone began; the clone was stopped and its files removed",
        permanent: false);
}
