namespace OpenClaw.Runtime;

/// <summary>Builds the exception every provider throws for a stale ETag.</summary>
internal static class GrainStorageConflicts
{
    public static InconsistentStateException Stale(string storageName, GrainStateKey key, string operation, int storedEtag, int expectedEtag)
    {
        var stored = storedEtag == 0 ? "there is no stored record (ETag 0)" : $"the stored ETag is {storedEtag}";
        return new InconsistentStateException(
            $"Grain storage '{storageName}' rejected the {operation} of {key}: it was based on ETag {expectedEtag} but {stored}. "
            + "Someone else changed the state after it was read; re-read it before writing again.",
            storedEtag,
            expectedEtag);
    }

    public static int Next(int storedEtag) =>
        storedEtag < int.MaxValue
            ? storedEtag + 1
            : throw new InvalidOperationException("The ETag of a grain state record reached its maximum value.");
}
