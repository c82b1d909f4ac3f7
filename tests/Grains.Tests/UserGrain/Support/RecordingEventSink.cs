using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>Records the events the handlers publish, with their audience, and lets tests wait for one.</summary>
internal sealed class RecordingEventSink : ITenantEventSink
{
    private readonly object _lock = new();
    private readonly List<RecordedEvent> _events = [];
    private readonly HashSet<string> _sessionSubscribers = [];

    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToList();
            }
        }
    }

    /// <summary>Called on the publishing thread (the activation's) as each event is published.</summary>
    public Action<RecordedEvent>? Published { get; set; }

    public IReadOnlyCollection<string> SessionSubscribers
    {
        get
        {
            lock (_lock)
            {
                return _sessionSubscribers.ToList();
            }
        }
    }

    /// <summary>Events for every connection (chat, agent) of one run.</summary>
    public IReadOnlyList<RecordedEvent> RunEvents(string runId) =>
        Events.Where(e => !e.SessionSubscribersOnly && e.Payload.TryGetProperty("runId", out var id) && id.GetString() == runId).ToList();

    public void Publish(TenantEvent tenantEvent) => Add(tenantEvent, sessionOnly: false);

    public void PublishToSessionSubscribers(TenantEvent tenantEvent) => Add(tenantEvent, sessionOnly: true);

    public void SetSessionSubscription(string connectionId, bool subscribed)
    {
        lock (_lock)
        {
            if (subscribed)
            {
                _sessionSubscribers.Add(connectionId);
            }
            else
            {
                _sessionSubscribers.Remove(connectionId);
            }
        }
    }

    /// <summary>Waits until an event matching <paramref name="predicate"/> was published.</summary>
    public async Task<RecordedEvent> WaitForAsync(Func<RecordedEvent, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var match = Events.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No event: {what}. Published: {string.Join(", ", Events.Select(e => e.Describe()))}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits for the terminal <c>chat</c> event (final, error or aborted) of a run.</summary>
    public Task<RecordedEvent> WaitForChatEndAsync(string runId) =>
        WaitForAsync(e => e.Name == "chat" && e.RunId == runId && e.State is "final" or "error" or "aborted", $"end of run {runId}");

    private void Add(TenantEvent tenantEvent, bool sessionOnly)
    {
        var payload = JsonDocument.Parse(tenantEvent.PayloadJson).RootElement.Clone();
        var recorded = new RecordedEvent(tenantEvent.Event, payload, sessionOnly, tenantEvent.PayloadJson)
        {
            RequiredAnyCap = tenantEvent.RequiredAnyCap,
            ExcludedCaps = tenantEvent.ExcludedCaps,
            RequiredScope = tenantEvent.RequiredScope,
        };
        lock (_lock)
        {
            _events.Add(recorded with { Source = tenantEvent });
        }

        Published?.Invoke(recorded);
    }
}

internal sealed record RecordedEvent(string Name, JsonElement Payload, bool SessionSubscribersOnly, string Json)
{
    /// <summary>The scope a connection needs to get the event (null: none).</summary>
    public string? RequiredScope { get; init; }

    /// <summary>The event as published, with its audience and filters (set on the recorded list's entries).</summary>
    public TenantEvent? Source { get; init; }

    public string? RunId => Payload.ValueKind == JsonValueKind.Object && Payload.TryGetProperty("runId", out var id) ? id.GetString() : null;

    public string? State => Payload.TryGetProperty("state", out var state) ? state.GetString() : null;

    public string? Stream => Payload.TryGetProperty("stream", out var stream) ? stream.GetString() : null;

    public string? Phase => Payload.TryGetProperty("data", out var data) && data.TryGetProperty("phase", out var phase) ? phase.GetString()
        : Payload.TryGetProperty("phase", out var own) ? own.GetString() : null;

    public int Seq => Payload.TryGetProperty("seq", out var seq) ? seq.GetInt32() : -1;

    /// <summary>The event's cap filters, as the edge applies them.</summary>
    public IReadOnlyList<string>? RequiredAnyCap { get; init; }

    public IReadOnlyList<string>? ExcludedCaps { get; init; }

    /// <summary><c>chat:delta</c>, <c>agent:lifecycle:start</c>, …</summary>
    public string Describe() => Name switch
    {
        "chat" => State == "status" ? $"chat:status:{Phase}" : $"chat:{State}",
        "agent" => Stream is "lifecycle" or "run_status" ? $"agent:{Stream}:{Phase}" : $"agent:{Stream}",
        _ => Name,
    };
}
