namespace OpenClaw.Runtime;

/// <summary>
/// The call did not complete within its timeout. Its outcome is unknown: the grain may still have
/// executed it (or be executing it).
/// </summary>
public sealed class GrainCallTimeoutException(string message) : TimeoutException(message);

/// <summary>An activation could not be created; the calls queued for it fail with this.</summary>
public sealed class GrainActivationException(string message, Exception? inner) : Exception(message, inner);

/// <summary>A write or clear used a stale ETag: someone else wrote the state since it was read.</summary>
public sealed class InconsistentStateException(string message, int storedEtag, int expectedEtag) : Exception(message)
{
    public int StoredEtag { get; } = storedEtag;
    public int ExpectedEtag { get; } = expectedEtag;
}

/// <summary>The observer behind a reference was deleted or its owner is gone.</summary>
public sealed class ObserverNotFoundException(string message) : Exception(message);

/// <summary>The silo is shutting down and does not accept new activations.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);

/// <summary>
/// The activation already has <see cref="GrainRuntimeOptions.MaxPendingCallsPerActivation"/> calls
/// waiting: this call was refused without running. Retrying later is safe.
/// </summary>
public sealed class ActivationOverloadedException(string message) : Exception(message);

/// <summary>
/// An exception thrown in another process whose type this process does not rebuild: its type
/// name and message crossed the network, the object did not.
/// </summary>
public sealed class RemoteGrainException(string remoteType, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Full name of the exception type that was thrown remotely.</summary>
    public string RemoteType { get; } = remoteType;
}
