namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// The last <c>capacity</c> bytes written to it, in a ring that grows (doubling) up to <c>capacity</c> and then
/// overwrites its oldest bytes: memory never exceeds <c>capacity</c>, however much is written.
/// </summary>
internal sealed class JobLogTail
{
    private const int InitialBytes = 64 * 1024;

    private readonly int _capacity;
    private byte[] _buffer = [];

    public JobLogTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>The bytes the ring holds in memory now (never more than <c>capacity</c>).</summary>
    public int Allocated => _buffer.Length;

    /// <summary>Every byte ever written (kept or overwritten).</summary>
    public long Written { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (data.Length >= _capacity)
        {
            // Only its last bytes can survive; those before are dropped as if written and overwritten.
            Written += data.Length - _capacity;
            data = data[^_capacity..];
        }

        var needed = Written + data.Length;
        if (_buffer.Length < _capacity && needed > _buffer.Length)
        {
            // Still linear (nothing overwritten yet): grow, keeping the bytes at their offsets.
            var size = (int)Math.Min(_capacity, Math.Max(needed, Math.Max(InitialBytes, (long)_buffer.Length * 2)));
            Array.Resize(ref _buffer, size);
        }

        var at = (int)(Written % _buffer.Length);
        var first = Math.Min(data.Length, _buffer.Length - at);
        data[..first].CopyTo(_buffer.AsSpan(at));
        data[first..].CopyTo(_buffer);
        Written += data.Length;
    }

    /// <summary>The kept bytes, oldest first: all of them, or the last <c>capacity</c> once more were written.</summary>
    public byte[] Kept()
    {
        if (Written <= _buffer.Length)
        {
            return _buffer[..(int)Written];
        }

        var start = (int)(Written % _buffer.Length);
        return [.. _buffer.AsSpan(start), .. _buffer.AsSpan(0, start)];
    }
}
