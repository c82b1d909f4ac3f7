namespace OpenClaw.Runtime;

/// <summary>
/// Consistent hashing of grain hashes onto silos: each silo has a number of points on a 32-bit
/// ring, and a hash belongs to the silo of the first point at or after it (wrapping round). A silo
/// joining or leaving moves only the hashes next to its own points.
/// </summary>
internal sealed class ReminderRing
{
    private readonly uint[] _points;
    private readonly SiloAddress[] _owners;

    public ReminderRing(IReadOnlyList<SiloAddress> silos, int pointsPerSilo)
    {
        var points = new List<(uint Point, SiloAddress Silo)>(silos.Count * pointsPerSilo);
        foreach (var silo in silos)
        {
            var name = silo.ToString();
            for (var i = 0; i < pointsPerSilo; i++) points.Add((ReminderHash.Of($"{name}#{i}"), silo));
        }
        // Equal points (vanishingly rare) are ordered by silo so every process builds the same ring.
        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Silo.CompareTo(b.Silo));
        _points = points.Select(p => p.Point).ToArray();
        _owners = points.Select(p => p.Silo).ToArray();
    }

    public bool IsEmpty => _points.Length == 0;

    public SiloAddress OwnerOf(uint hash)
    {
        if (IsEmpty) throw new InvalidOperationException("The ring has no silo.");
        var index = Array.BinarySearch(_points, hash);
        if (index < 0) index = ~index;
        // Several equal points: the first of them owns.
        while (index > 0 && index < _points.Length && _points[index - 1] == hash) index--;
        return _owners[index == _points.Length ? 0 : index];
    }

    /// <summary>The ranges <paramref name="silo"/> owns, merged and in order.</summary>
    public IReadOnlyList<ReminderHashRange> RangesOf(SiloAddress silo)
    {
        var ranges = new List<ReminderHashRange>();
        for (var i = 0; i < _points.Length; i++)
        {
            if (_owners[i] != silo) continue;
            if (i > 0)
            {
                if (_points[i - 1] != _points[i]) Add(ranges, _points[i - 1] + 1, _points[i]);
                continue;
            }
            // The first point also owns the wrap-around: after the last point, and up to itself.
            Add(ranges, 0, _points[0]);
            if (_points[^1] != uint.MaxValue && _points.Length > 0) Add(ranges, _points[^1] + 1, uint.MaxValue);
        }
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<ReminderHashRange>(ranges.Count);
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && (ulong)merged[^1].End + 1 >= range.Start)
                merged[^1] = new ReminderHashRange(merged[^1].Start, Math.Max(merged[^1].End, range.End));
            else merged.Add(range);
        }
        return merged;
    }

    private static void Add(List<ReminderHashRange> ranges, uint start, uint end) => ranges.Add(new ReminderHashRange(start, end));
}
