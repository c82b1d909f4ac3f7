namespace OpenClaw.Silo.Memory;

/// <summary>What <see cref="MemoryReclaimer"/> reads from and asks of the GC (a seam for tests).</summary>
internal interface IGarbageCollector
{
    /// <summary>Memory the GC has committed, as of its last collection.</summary>
    long CommittedBytes { get; }

    /// <summary>Full (generation 2) collections so far, whoever started them.</summary>
    int FullCollectionCount { get; }

    /// <summary>A blocking, compacting full collection that decommits all the free memory it can.</summary>
    void CollectAndDecommit();
}

internal sealed class RuntimeGarbageCollector : IGarbageCollector
{
    public long CommittedBytes => GC.GetGCMemoryInfo().TotalCommittedBytes;

    public int FullCollectionCount => GC.CollectionCount(2);

    public void CollectAndDecommit() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
