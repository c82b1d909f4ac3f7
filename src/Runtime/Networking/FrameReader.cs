using System.Buffers.Binary;
using System.Text;

namespace OpenClaw.Runtime;

/// <summary>Reads the fields of one received frame; anything out of bounds is a <see cref="ClusterProtocolException"/>.</summary>
internal ref struct FrameReader(ReadOnlySpan<byte> frame)
{
    private const int MaxStringBytes = 64 * 1024;

    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public readonly bool AtEnd => _position == _frame.Length;

    public byte ReadByte()
    {
        Need(1);
        return _frame[_position++];
    }

    public int ReadInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_frame[_position..]);
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_frame[_position..]);
        _position += 8;
        return value;
    }

    public string? ReadString()
    {
        var length = ReadInt32();
        if (length == -1) return null;
        if (length < 0 || length > MaxStringBytes) throw new ClusterProtocolException($"string field of {length} bytes");
        Need(length);
        string value;
        try
        {
            value = Utf8Strict.GetString(_frame.Slice(_position, length));
        }
        catch (DecoderFallbackException)
        {
            throw new ClusterProtocolException("string field is not valid UTF-8");
        }
        _position += length;
        return value;
    }

    public string ReadRequiredString(string field) =>
        ReadString() is { Length: > 0 } value ? value : throw new ClusterProtocolException($"missing {field}");

    public ReadOnlySpan<byte> ReadBlock()
    {
        var length = ReadInt32();
        if (length < 0) throw new ClusterProtocolException($"block of {length} bytes");
        Need(length);
        var block = _frame.Slice(_position, length);
        _position += length;
        return block;
    }

    public readonly void ExpectEnd(string what)
    {
        if (!AtEnd) throw new ClusterProtocolException($"{_frame.Length - _position} unexpected bytes after {what}");
    }

    private readonly void Need(int count)
    {
        if (count > _frame.Length - _position) throw new ClusterProtocolException("frame ends early");
    }

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
