using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Cluster;

/// <summary>
/// A peer that sends garbage, oversized or truncated frames, never introduces itself or never
/// reads is disconnected, and the silo keeps serving everyone else.
/// </summary>
public sealed class ClusterPortAttackTests : IAsyncLifetime
{
    private readonly InProcessCluster _cluster = new();
    private IHost _silo = null!;
    private IHost _client = null!;

    public async Task InitializeAsync()
    {
        _silo = await _cluster.StartSiloAsync(o =>
        {
            o.MaxFrameBytes = 64 * 1024;
            o.MaxQueuedBytesPerConnection = 256 * 1024;
            o.HandshakeTimeout = TimeSpan.FromMilliseconds(500);
        });
        await _cluster.WaitAllActiveAsync();
        _client = await _cluster.StartClientAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private int Port => InProcessCluster.AddressOf(_silo).Port;

    [Fact]
    public async Task Garbage_is_disconnected()
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7)).ToArray());
        await AssertClosedBySiloAsync(socket);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_oversized_frame_is_disconnected_before_it_is_read()
    {
        using var socket = await ConnectAsync();
        var header = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, 64 * 1024 + 1);
        header[4] = (byte)FrameKind.Hello;
        await socket.SendAsync(header);
        await AssertClosedBySiloAsync(socket);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_truncated_request_after_a_valid_handshake_is_disconnected()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, ClusterFrames.Hello(ClusterOptions.DefaultClusterId, ConnectionRole.Client, "attacker-1"));
        // A request frame whose fields claim more bytes than the frame holds.
        var frame = new byte[4 + 1 + 8 + 1 + 1 + 4 + 4];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        frame[4] = (byte)FrameKind.Request;
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), 1);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(19), 10_000);
        await socket.SendAsync(frame);
        await AssertClosedBySiloAsync(socket);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_peer_of_another_cluster_is_refused()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, ClusterFrames.Hello("another-cluster", ConnectionRole.Client, "stranger"));
        await AssertClosedBySiloAsync(socket);
    }

    [Fact]
    public async Task A_peer_that_never_introduces_itself_is_dropped()
    {
        using var socket = await ConnectAsync();
        await AssertClosedBySiloAsync(socket);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_peer_that_never_reads_is_dropped_when_its_answers_pile_up()
    {
        using var socket = await ConnectAsync();
        socket.ReceiveBufferSize = 4096;
        await SendAsync(socket, ClusterFrames.Hello(ClusterOptions.DefaultClusterId, ConnectionRole.Client, "slow-reader"));
        var bag = new Bag { Items = [new string('x', 32 * 1024)] };
        var factory = InProcessCluster.FactoryOf(_silo);
        var reference = (GrainReference)(object)factory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("slow"));
        var closed = false;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (long id = 1; !closed && DateTime.UtcNow < deadline; id++)
        {
            var frame = RequestFrame(id, reference, bag);
            try
            {
                await SendAsync(socket, frame).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (SocketException)
            {
                closed = true; // the silo reset the connection
            }
            catch (TimeoutException)
            {
                // our own sending is stuck; keep trying until the deadline
            }
        }
        Assert.True(closed, "the silo kept a connection whose peer never reads");
        await AssertStillServesAsync();
    }

    private static OutboundFrame RequestFrame(long id, GrainReference reference, Bag bag)
    {
        // The same frame the runtime sends for ICounterGrain.Mutate(bag).
        var captured = new CapturingRouter();
        var grain = (ICounterGrain)(object)CapturingRouter.Rebind(reference, captured);
        _ = grain.Mutate(bag);
        return ClusterFrames.Request(id, RequestFlags.None, 0, 0, reference.GrainId, captured.Request!);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
        return socket;
    }

    private static async Task SendAsync(Socket socket, OutboundFrame frame)
    {
        try
        {
            await socket.SendAsync(frame.Array.AsMemory(0, frame.Length));
        }
        finally
        {
            frame.Release();
        }
    }

    private static async Task AssertClosedBySiloAsync(Socket socket)
    {
        var buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                // A handshake answer may come first; then the close.
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) == 0) return;
            }
        }
        catch (SocketException)
        {
            // reset: closed too
        }
    }

    private async Task AssertStillServesAsync()
    {
        var factory = _client.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(1, await factory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("fine")).Increment().WaitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Captures the request a reference builds instead of sending it.</summary>
    private sealed class CapturingRouter : IGrainCallRouter
    {
        public GrainRequest? Request { get; private set; }

        public IGrainFactory GrainFactory => throw new NotSupportedException();

        public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request)
        {
            Request = request;
            return Task.FromResult(default(TResult)!);
        }

        public void InvokeOneWay(GrainReference target, GrainRequest request) => Request = request;

        public static GrainReference Rebind(GrainReference reference, IGrainCallRouter router) =>
            GrainCodeRegistry.Instance.GetReferenceFactory(typeof(ICounterGrain))(reference.GrainId, router);
    }
}
