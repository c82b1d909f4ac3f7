using System.Buffers;
using System.Text.Json;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>
/// An in-memory router: invokes requests on registered implementation objects. With
/// <see cref="RoundTripThroughJson"/> every request is first written with WriteArguments and read
/// back through the registry's request reader, as a remote hop would.
/// </summary>
internal sealed class FakeGrainCallRouter : IGrainCallRouter
{
    private readonly Dictionary<GrainId, object> _targets = [];

    public bool RoundTripThroughJson { get; init; }

    /// <summary>Every request as the callee received it.</summary>
    public List<GrainRequest> Delivered { get; } = [];

    public List<GrainRequest> OneWayRequests { get; } = [];

    public List<Task> OneWayTasks { get; } = [];

    public IGrainFactory GrainFactory => throw new NotSupportedException("Not needed by the code generation tests.");

    public T GetReference<T>(GrainId grainId, object implementation)
    {
        _targets[grainId] = implementation;
        return (T)(object)GrainCodeRegistry.Instance.GetReferenceFactory(typeof(T))(grainId, this);
    }

    public async Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request)
    {
        var delivered = (GrainRequest<TResult>)Deliver(request);
        var task = delivered.Invoke(_targets[target.GrainId]);
        await task;
        return delivered.GetResult(task);
    }

    public void InvokeOneWay(GrainReference target, GrainRequest request)
    {
        var delivered = Deliver(request);
        OneWayRequests.Add(delivered);
        OneWayTasks.Add(delivered.Invoke(_targets[target.GrainId]));
    }

    private GrainRequest Deliver(GrainRequest request)
    {
        var delivered = RoundTripThroughJson ? RoundTrip(request) : request;
        Delivered.Add(delivered);
        return delivered;
    }

    public static GrainRequest RoundTrip(GrainRequest request)
    {
        var json = WriteArguments(request);
        if (!GrainCodeRegistry.Instance.TryGetRequestReader(request.InterfaceName, request.MethodId, out var read))
            throw new InvalidOperationException($"No request reader for {request.InterfaceName}#{request.MethodId}.");
        var reader = new Utf8JsonReader(json);
        return read(ref reader, GrainSerializer.Options);
    }

    public static byte[] WriteArguments(GrainRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) request.WriteArguments(writer, GrainSerializer.Options);
        return buffer.WrittenSpan.ToArray();
    }
}
