namespace OpenClaw.Runtime;

/// <summary>A silo's reminder service, reachable from other silos (key: the silo's address).</summary>
internal interface IReminderServiceGrain : IGrainWithStringKey
{
    /// <summary>
    /// The reminder changed in the table: reread it. A silo that sees another owner passes the
    /// notice on once (<paramref name="forwarded"/>), for when the sender's membership view was stale.
    /// </summary>
    Task ReminderChanged(string grainId, string name, bool forwarded);
}

/// <inheritdoc cref="IReminderServiceGrain"/>
[SiloBound]
[Reentrant]
[GrainType(GrainTypeName)]
internal sealed class ReminderServiceGrain(ReminderService service, IReminderOwnership ownership) : Grain, IReminderServiceGrain
{
    public const string GrainTypeName = "sys.reminders";

    public async Task ReminderChanged(string grainId, string name, bool forwarded)
    {
        var id = GrainId.Parse(grainId);
        if (!forwarded && ownership.RemoteOwnerOf(ReminderHash.Of(id)) is { } owner)
            await GrainFactory.GetSiloGrain<IReminderServiceGrain>(owner).ReminderChanged(grainId, name, forwarded: true).ConfigureAwait(false);
        await service.ApplyFromTableAsync(id, name, CancellationToken.None).ConfigureAwait(false);
    }
}
