namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Whether a record changed since it was last written. A save captures the version it serializes
/// and confirms it after the write; a change made while the write was in flight (turns interleave
/// at the write's await) keeps the record dirty for the next save.
/// </summary>
internal sealed class ChangeMark
{
    private long _version;
    private long _written;

    public bool IsDirty => _version != _written;

    public void Touch() => _version++;

    public long Capture() => _version;

    public void Written(long captured) => _written = Math.Max(_written, captured);
}
