using System.Data.Common;

namespace OpenClaw.Runtime;

/// <summary>
/// Reads reminder rows in the column order every SQL reminder table selects:
/// <c>grain_id, name, start_at (UTC ticks), period (ticks), etag, last_delivered (UTC ticks, nullable)</c>.
/// Grain types and reminder names are shared per read: 100,000 rows carry a handful of distinct values.
/// </summary>
public static class ReminderRowReader
{
    private const int MaxSharedNames = 1024;

    public static async Task<IReadOnlyList<ReminderRow>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<ReminderRow>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = GrainId.Parse(reader.GetString(0));
            var entry = new ReminderEntry(
                new GrainId(Shared(types, id.Type), id.Key),
                Shared(names, reader.GetString(1)),
                new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                TimeSpan.FromTicks(reader.GetInt64(3)),
                reader.GetString(4));
            DateTimeOffset? delivered = reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero);
            rows.Add(new ReminderRow(entry, delivered));
        }

        return rows;
    }

    private static string Shared(Dictionary<string, string> seen, string value)
    {
        if (seen.TryGetValue(value, out var shared)) return shared;
        if (seen.Count < MaxSharedNames) seen[value] = value;
        return value;
    }
}
