using GradientNode.Core.Common;

namespace GradientNode.Core.Networking;

/// <summary>
/// A lock that every gradient-node process on this host shares (an exclusive lock on a file in <c>/run</c>, which only
/// root can write): two nodes that find no network, or no rule, both make one otherwise. Best effort: where the file
/// cannot be opened (not root), or another holder keeps it past the wait, the caller goes on without it.
/// </summary>
public sealed class HostLock : IDisposable
{
    private readonly FileStream? _file;

    private HostLock(FileStream? file) => _file = file;

    /// <summary>True when this process holds the lock.</summary>
    public bool Held => _file is not null;

    public static async Task<HostLock> AcquireAsync(string path, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var until = time.After(wait); // monotonic
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock(2) on Unix: another process that holds it makes this throw.
                return new HostLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException)
            {
                return new HostLock(null);
            }
            catch (DirectoryNotFoundException)
            {
                return new HostLock(null);
            }
            catch (IOException) when (time.Until(until) > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return new HostLock(null);
            }
        }
    }

    public void Dispose() => _file?.Dispose();
}
