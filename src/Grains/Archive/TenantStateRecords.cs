using System.Text;
using OpenClaw.Grains.Gateway;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Archive;

/// <summary>
/// A tenant's records as they are in the grain storage, found from the index: the profile, the
/// index, every session head, the transcript chunks a head lists (and, for a purge, the ones it
/// lists as garbage), and every pending-run slot. Reads and clears go straight to the storage;
/// the grain calls this only after closing its in-memory state to further writes.
/// </summary>
internal sealed class TenantStateRecords(IGrainStorage storage, string grainType, string tenantId)
{
    private static readonly UserGrainJsonContext Json = UserGrainJsonContext.Default;

    /// <summary>The records holding data, with their stored bytes. Garbage chunks are left out.</summary>
    public async Task<List<(string Name, byte[] Data)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<(string, byte[])>();
        foreach (var name in await NamesAsync(includeGarbage: false, cancellationToken))
        {
            if (await storage.ReadAsync(Key(name), cancellationToken) is { Data: { } data })
            {
                records.Add((name, data));
            }
        }

        return records;
    }

    /// <summary>Clears every record that holds data (garbage chunks included); returns how many.</summary>
    public async Task<int> ClearAllAsync(CancellationToken cancellationToken)
    {
        var cleared = 0;
        // Index last: while it exists, a crash halfway leaves the other records findable for the next purge.
        var names = await NamesAsync(includeGarbage: true, cancellationToken);
        foreach (var name in names.Where(name => name != StateRecordNames.Index).Append(StateRecordNames.Index))
        {
            if (await ClearAsync(name, cancellationToken))
            {
                cleared++;
            }
        }

        return cleared;
    }

    /// <summary>True when the tenant has an index or a profile (anything a session or usage ever wrote).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        await storage.ReadAsync(Key(StateRecordNames.Index), cancellationToken) is { Data: not null }
        || await storage.ReadAsync(Key(StateRecordNames.Profile), cancellationToken) is { Data: not null };

    /// <summary>Writes one record over whatever is stored under its name (a tombstone included).</summary>
    public async Task WriteAsync(string name, string json, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync(Key(name), cancellationToken);
        await storage.WriteAsync(Key(name), Encoding.UTF8.GetBytes(json), stored?.Etag ?? 0, cancellationToken);
    }

    private async Task<bool> ClearAsync(string name, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync(Key(name), cancellationToken);
        if (stored?.Data is null)
        {
            return false;
        }

        await storage.ClearAsync(Key(name), stored.Etag, cancellationToken);
        return true;
    }

    private async Task<List<string>> NamesAsync(bool includeGarbage, CancellationToken cancellationToken)
    {
        var names = new List<string> { StateRecordNames.Profile, StateRecordNames.Cron };
        var indexRecord = await storage.ReadAsync(Key(StateRecordNames.Index), cancellationToken);
        if (indexRecord?.Data is not { } indexData)
        {
            return names;
        }

        names.Add(StateRecordNames.Index);
        var index = System.Text.Json.JsonSerializer.Deserialize(indexData, Json.UserSessionsState);
        if (index is null || index.Format < UserSessionsState.CurrentFormat)
        {
            return names; // format 1: everything is inline in the index
        }

        for (var slot = 0; slot < Math.Min(index.SessionSlots, StateRecordKinds.MaxSlot); slot++)
        {
            var headName = StateRecordNames.SessionHead(slot);
            names.Add(headName);
            if (await storage.ReadAsync(Key(headName), cancellationToken) is not { Data: { } headData })
            {
                continue;
            }

            var head = System.Text.Json.JsonSerializer.Deserialize(headData, Json.SessionHeadRecord);
            var chunks = includeGarbage ? head?.Chunks.Concat(head.Garbage) : head?.Chunks;
            foreach (var chunk in (chunks ?? []).Where(chunk => chunk is >= 0 and < StateRecordKinds.MaxSlot).Distinct())
            {
                names.Add(StateRecordNames.TranscriptChunk(slot, chunk));
            }
        }

        for (var slot = 0; slot < Math.Min(index.RunSlots, StateRecordKinds.MaxSlot); slot++)
        {
            names.Add(StateRecordNames.PendingRun(slot));
        }

        return names;
    }

    private GrainStateKey Key(string name) => new(grainType, tenantId, name);
}
