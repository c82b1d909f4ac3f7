using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Parses a <c>text/event-stream</c> body (the server-sent events format of the HTML standard):
/// lines end with CR, LF or CRLF; <c>event:</c>, <c>data:</c> and <c>id:</c> fields build an event
/// that a blank line dispatches; lines starting with <c>:</c> are comments. An event still pending
/// when the stream ends is dispatched too (lenient towards servers that omit the last blank line).
/// Malformed input (invalid UTF-8, an event larger than the limit) throws <see cref="InvalidDataException"/>.
/// </summary>
public static class ServerSentEventReader
{
    public const int DefaultMaxEventBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(
        Stream stream,
        int maxEventBytes = DefaultMaxEventBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1);

        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var builder = new EventBuilder(maxEventBytes);
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, result.IsCompleted, out var line))
                {
                    if (builder.ProcessLine(line) is { } dispatched)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return dispatched;
                    }
                }

                if (buffer.Length > maxEventBytes)
                {
                    throw new InvalidDataException($"A server-sent event line is longer than {maxEventBytes} bytes.");
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            if (builder.Flush() is { } last)
            {
                yield return last;
            }
        }
        finally
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Takes one line (without its terminator) off the front of <paramref name="buffer"/>.</summary>
    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, bool isCompleted, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadToAny(out line, "\r\n"u8, advancePastDelimiter: false))
        {
            reader.TryRead(out var terminator);
            if (terminator == (byte)'\r')
            {
                if (reader.TryPeek(out var next))
                {
                    if (next == (byte)'\n')
                    {
                        reader.Advance(1);
                    }
                }
                else if (!isCompleted)
                {
                    // A CR at the end of what arrived so far: wait to see whether an LF follows.
                    line = default;
                    return false;
                }
            }

            buffer = buffer.Slice(reader.Position);
            return true;
        }

        if (isCompleted && !buffer.IsEmpty)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
            return true;
        }

        line = default;
        return false;
    }

    /// <summary>The fields of the event being read.</summary>
    private sealed class EventBuilder(int maxEventBytes)
    {
        private readonly StringBuilder _data = new();
        private string? _eventType;
        private string? _lastEventId;
        private bool _hasData;
        private long _eventBytes;
        private bool _firstLine = true;

        public ServerSentEvent? ProcessLine(ReadOnlySequence<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                _firstLine = false;
                return Dispatch();
            }

            _eventBytes += bytes.Length;
            if (_eventBytes > maxEventBytes)
            {
                throw new InvalidDataException($"A server-sent event is larger than {maxEventBytes} bytes.");
            }

            string line;
            try
            {
                line = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidDataException("The event stream is not valid UTF-8.", ex);
            }

            if (_firstLine)
            {
                _firstLine = false;
                if (line.StartsWith('\uFEFF'))
                {
                    line = line[1..];
                }
            }

            if (line.Length == 0)
            {
                return Dispatch();
            }

            if (line[0] == ':')
            {
                return null; // comment (keep-alive)
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    _eventType = value;
                    break;
                case "data":
                    _data.Append(value).Append('\n');
                    _hasData = true;
                    break;
                case "id":
                    if (!value.Contains('\0', StringComparison.Ordinal))
                    {
                        _lastEventId = value;
                    }

                    break;
                default:
                    break; // "retry" and unknown fields are ignored
            }

            return null;
        }

        public ServerSentEvent? Flush() => Dispatch();

        private ServerSentEvent? Dispatch()
        {
            ServerSentEvent? dispatched = null;
            if (_hasData)
            {
                var data = _data.ToString(0, _data.Length - 1);
                var type = string.IsNullOrEmpty(_eventType) ? ServerSentEvent.DefaultEventType : _eventType;
                dispatched = new ServerSentEvent(type, data, _lastEventId);
            }

            _data.Clear();
            _eventType = null;
            _hasData = false;
            _eventBytes = 0;
            return dispatched;
        }
    }
}
