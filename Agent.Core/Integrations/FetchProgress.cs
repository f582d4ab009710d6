namespace GradientNode.Core.Integrations;

/// <summary>Bytes and files done / total of one fetch; updated from many transfer threads.</summary>
public sealed class FetchProgress(TimeProvider time)
{
    private long _bytesDone;
    private long _bytesTotal;
    private long _filesDone;
    private long _filesTotal;
    private long _lastChange = time.GetTimestamp();

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long BytesTotal => Interlocked.Read(ref _bytesTotal);

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long FilesTotal => Interlocked.Read(ref _filesTotal);

    /// <summary>How long nothing moved (the stall timeout compares against it).</summary>
    public TimeSpan Idle => time.GetElapsedTime(Interlocked.Read(ref _lastChange));

    public void AddTotal(long bytes, long files)
    {
        Interlocked.Add(ref _bytesTotal, bytes);
        Interlocked.Add(ref _filesTotal, files);
        Touch();
    }

    public void AddBytes(long bytes)
    {
        Interlocked.Add(ref _bytesDone, bytes);
        Touch();
    }

    public void AddFiles(long files)
    {
        Interlocked.Add(ref _filesDone, files);
        Touch();
    }

    /// <summary>Something happened (a line of git output, a listing page): not stalled.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastChange, time.GetTimestamp());
}
