using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OpenClaw.Runtime;

/// <summary>
/// Builds one frame in a reusable buffer (one per thread): the length prefix is patched at the
/// end, JSON bodies are written straight into it through <see cref="IBufferWriter{T}"/>, and
/// <see cref="ToFrame"/> copies the result into a pooled array the connection returns after sending.
/// </summary>
internal sealed class FrameBuilder : IBufferWriter<byte>
{
    [ThreadStatic] private static FrameBuilder? _cached;

    private byte[] _buffer = new byte[4096];
    private int _position;

    /// <summary>A builder for this thread, emptied and started with <paramref name="kind"/>.</summary>
    public static FrameBuilder Start(FrameKind kind)
    {
        var builder = _cached ??= new FrameBuilder();
        if (builder._buffer.Length > 1024 * 1024) builder._buffer = new byte[4096]; // do not keep a huge buffer per thread
        builder._position = 4;
        builder.WriteByte((byte)kind);
        return builder;
    }

    public int Length => _position;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>Length-prefixed UTF-8 (length -1 for null).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt32(byteCount);
        Ensure(byteCount);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>Reserves a length slot; call <see cref="EndBlock"/> with the result after writing the block.</summary>
    public int BeginBlock()
    {
        var slot = _position;
        WriteInt32(0);
        return slot;
    }

    public void EndBlock(int slot) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(slot), _position - slot - 4);

    public void WriteBlock(ReadOnlySpan<byte> bytes)
    {
        WriteInt32(bytes.Length);
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>The finished frame in a pooled array (<see cref="OutboundFrame.Release"/> returns it).</summary>
    public OutboundFrame ToFrame()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, _position - 4);
        var array = ArrayPool<byte>.Shared.Rent(_position);
        _buffer.AsSpan(0, _position).CopyTo(array);
        return new OutboundFrame(array, _position);
    }

    public void Advance(int count) => _position += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 256));
        return _buffer.AsSpan(_position);
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count) return;
        var size = Math.Max(_buffer.Length * 2, _position + count);
        Array.Resize(ref _buffer, size);
    }
}

/// <summary>An encoded frame in a pooled array, sent once and then released.</summary>
internal readonly record struct OutboundFrame(byte[] Array, int Length)
{
    public void Release() => ArrayPool<byte>.Shared.Return(Array);
}
