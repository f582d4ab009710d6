namespace GradientNode.Core.Integrations;

public sealed partial class VolumeMaterializer
{
    /// <summary>
    /// <paramref name="slug"/> no longer needs the content of any key outside <paramref name="keep"/> (it was deleted, or
    /// its spec now names other content): a fetch that no other deployment waits for is cancelled, so a deleted
    /// deployment's 100 GB download neither runs on nor lands in the cache with no owner.
    /// </summary>
    private void StopWaiting(string slug, HashSet<string> keep)
    {
        foreach (var (key, job) in _jobs)
        {
            if (keep.Contains(key))
            {
                continue;
            }

            lock (job)
            {
                if (job.Slugs.Remove(slug) && job.Slugs.Count == 0 && job.Cancel is { } cancel)
                {
                    job.Abandoned = true;
                    cancel.Cancel();
                }
            }
        }
    }
}
