using System.Text;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.Llm;

public sealed class ServerSentEventReaderTests
{
    [Fact]
    public async Task Parses_fields_comments_and_multi_line_data()
    {
        var events = await ReadAsync(": comment\nevent: greeting\nid: 7\ndata: hello\ndata:world\nretry: 10\n\ndata: second\n\n");

        Assert.Equal(
            [new ServerSentEvent("greeting", "hello\nworld", "7"), new ServerSentEvent("message", "second", "7")],
            events);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public async Task Accepts_every_line_ending(string newline)
    {
        var text = $"event: a{newline}data: 1{newline}{newline}data: 2{newline}{newline}";

        var events = await ReadAsync(text);

        Assert.Equal([new ServerSentEvent("a", "1", null), new ServerSentEvent("message", "2", null)], events);
    }

    [Fact]
    public async Task Handles_input_arriving_one_byte_at_a_time()
    {
        var text = "\uFEFFevent: x\r\ndata: {\"a\":\"é\"}\r\n\r\ndata: y\r\n\r\n";

        var events = await ReadAsync(text, oneByteAtATime: true);

        Assert.Equal([new ServerSentEvent("x", "{\"a\":\"é\"}", null), new ServerSentEvent("message", "y", null)], events);
    }

    [Fact]
    public async Task Ignores_events_without_data_and_dispatches_a_pending_event_at_the_end()
    {
        var events = await ReadAsync("event: ping\n\ndata: last");

        Assert.Equal([new ServerSentEvent("message", "last", null)], events);
    }

    [Fact]
    public async Task Rejects_oversized_events()
    {
        var text = "data: " + new string('x', 5000) + "\n\n";

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(text, maxEventBytes: 1024));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(text, maxEventBytes: 1024, oneByteAtATime: true));
    }

    [Fact]
    public async Task Rejects_invalid_utf8()
    {
        var bytes = new byte[] { (byte)'d', (byte)'a', (byte)'t', (byte)'a', (byte)':', 0xC3, 0x28, (byte)'\n', (byte)'\n' };

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in ServerSentEventReader.ReadAsync(new MemoryStream(bytes)))
            {
            }
        });
    }

    private static async Task<List<ServerSentEvent>> ReadAsync(string text, int maxEventBytes = 1024 * 1024, bool oneByteAtATime = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Stream stream = oneByteAtATime ? new TrickleStream(bytes) : new MemoryStream(bytes);
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(stream, maxEventBytes))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Returns one byte per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[_position++];
            return 1;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (_position >= data.Length || buffer.Length == 0)
            {
                return 0;
            }

            buffer.Span[0] = data[_position++];
            return 1;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
