using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// <see cref="IReminderRegistry"/> of a silo: validates, writes the table (the truth), then tells
/// the owning silo's reminder service so a near-due reminder fires on time. When the owner cannot
/// be told, the registration still stands: the owner finds it on its next refresh.
/// </summary>
internal sealed class ReminderRegistry(
    IReminderTable table,
    ReminderService service,
    IReminderOwnership ownership,
    IGrainFactory grains,
    GrainTypeRegistry types,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    ILogger<ReminderRegistry> logger) : IReminderRegistry
{
    /// <summary>Longest grain id (type/key) a reminder may belong to.</summary>
    public const int MaxGrainIdLength = 1024;

    private readonly ReminderOptions _options = options.Value;

    public async Task<ReminderEntry> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default)
    {
        ValidateGrain(grainId);
        ValidateName(name);
        if (dueTime < TimeSpan.Zero || dueTime > _options.MaximumDueTime)
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, $"The due time must be between 0 and {_options.MaximumDueTime} (reminders:MaximumDueTime).");
        if (period < _options.MinimumPeriod)
            throw new ArgumentOutOfRangeException(nameof(period), period, $"The period must be at least {_options.MinimumPeriod} (reminders:MinimumPeriod); use a grain timer for shorter ones.");
        if (period > _options.MaximumDueTime)
            throw new ArgumentOutOfRangeException(nameof(period), period, $"The period must be at most {_options.MaximumDueTime} (reminders:MaximumDueTime).");

        var entry = new ReminderEntry(grainId, name, time.GetUtcNow() + dueTime, period, "");
        var result = await table.UpsertAsync(entry, null, _options.MaxRemindersPerGrain, cancellationToken).ConfigureAwait(false);
        if (result.Status == ReminderUpsertStatus.GrainLimitReached)
            throw new ReminderLimitException(
                $"{grainId} already has {_options.MaxRemindersPerGrain} reminders (reminders:MaxRemindersPerGrain); unregister one before registering '{name}'.");
        if (result.Status != ReminderUpsertStatus.Written)
            throw new ReminderTableException($"The reminder table refused to write reminder '{name}' of {grainId} ({result.Status}).");
        await NotifyOwnerAsync(grainId, name, cancellationToken).ConfigureAwait(false);
        return entry with { ETag = result.ETag! };
    }

    public async Task UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ValidateGrain(grainId);
        ValidateName(name);
        if (await table.RemoveAsync(grainId, name, null, cancellationToken).ConfigureAwait(false))
            await NotifyOwnerAsync(grainId, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReminderEntry?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ValidateGrain(grainId);
        ValidateName(name);
        return (await table.ReadAsync(grainId, name, cancellationToken).ConfigureAwait(false))?.Entry;
    }

    public async Task<IReadOnlyList<ReminderEntry>> ListAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        ValidateGrain(grainId);
        var rows = await table.ReadGrainAsync(grainId, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.Entry).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    private async Task NotifyOwnerAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        var owner = ownership.RemoteOwnerOf(ReminderHash.Of(grainId));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.NotifyTimeout);
        try
        {
            if (owner is { } silo)
                await grains.GetSiloGrain<IReminderServiceGrain>(silo).ReminderChanged(grainId.ToString(), name, forwarded: false)
                    .WaitAsync(timeout.Token).ConfigureAwait(false);
            else
                await service.ApplyFromTableAsync(grainId, name, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (owner is { } silo) ReminderLog.NotifyFailed(logger, silo, name, grainId, ex.Message);
            else ReminderLog.ApplyFailed(logger, name, grainId, ex.Message);
        }
    }

    private void ValidateGrain(GrainId grainId)
    {
        if (grainId.Type is null) throw new ArgumentException("The grain id is empty.", nameof(grainId));
        if (grainId.IsObserver) throw new ArgumentException("Observers cannot have reminders; only grains can.", nameof(grainId));
        if (grainId.Type.Length + grainId.Key.Length + 1 > MaxGrainIdLength)
            throw new ArgumentException($"The grain id is longer than {MaxGrainIdLength} characters.", nameof(grainId));
        if (!types.TryGetByType(grainId.Type, out var info))
            throw new ArgumentException($"No grain type '{grainId.Type}' is hosted by this silo.", nameof(grainId));
        if (!typeof(IRemindable).IsAssignableFrom(info.GrainClass))
            throw new ArgumentException($"Grain type '{grainId.Type}' ({info.GrainClass.Name}) does not implement IRemindable, so it cannot receive reminders.", nameof(grainId));
    }

    private void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A reminder name must not be empty or blank.", nameof(name));
        if (name.Length > _options.MaxNameLength)
            throw new ArgumentException($"A reminder name must be at most {_options.MaxNameLength} characters (reminders:MaxNameLength); this one has {name.Length}.", nameof(name));
        foreach (var c in name)
            if (char.IsControl(c))
                throw new ArgumentException("A reminder name must not contain control characters.", nameof(name));
    }
}
