using System.Text.Json;

namespace OpenClaw.Runtime;

[Flags]
public enum InvokeFlags
{
    None = 0,
    AlwaysInterleave = 1,
    OneWay = 2,
}

/// <summary>
/// One call: the method and its (already copied) arguments. Generated per interface method.
/// </summary>
public abstract class GrainRequest
{
    public abstract string InterfaceName { get; }
    public abstract string MethodName { get; }

    /// <summary>Ordinal of the method in its interface, stable for a given interface definition.</summary>
    public abstract int MethodId { get; }

    public virtual InvokeFlags Flags => InvokeFlags.None;

    /// <summary>The method takes a <see cref="CancellationToken"/> (its last parameter).</summary>
    public virtual bool AcceptsCancellation => false;

    /// <summary>The caller's token; it stays with the caller (a remote hop sends a cancel message instead).</summary>
    public CancellationToken CallerCancellation { get; set; }

    /// <summary>The token the grain method receives; the runtime cancels it when the caller cancels.</summary>
    public CancellationToken CalleeCancellation { get; set; }

    /// <summary>Calls the method on <paramref name="target"/> and returns the task it returned.</summary>
    public abstract Task Invoke(object target);

    /// <summary>Writes the arguments as a JSON array (for a remote hop).</summary>
    public abstract void WriteArguments(Utf8JsonWriter writer, JsonSerializerOptions options);

    /// <summary>Writes the result of a task returned by <see cref="Invoke"/> that completed successfully (for a remote hop).</summary>
    public abstract void WriteResult(Utf8JsonWriter writer, Task completed);

    public override string ToString() => $"{InterfaceName}.{MethodName}";
}

/// <summary>A request whose completed task yields a <typeparamref name="TResult"/>.</summary>
public abstract class GrainRequest<TResult> : GrainRequest
{
    /// <summary>Reads the result of a task returned by <see cref="GrainRequest.Invoke"/> that completed successfully.</summary>
    public virtual TResult GetResult(Task completed) => ((Task<TResult>)completed).Result;

    public sealed override void WriteResult(Utf8JsonWriter writer, Task completed) =>
        GrainSerializer.Write(writer, GetResult(completed));

    /// <summary>Reads a result written by <see cref="WriteResult"/>.</summary>
    public static TResult ReadResult(ReadOnlySpan<byte> json) => GrainSerializer.Deserialize<TResult>(json)!;
}

/// <summary>The result type of methods that return a plain <see cref="Task"/> or nothing.</summary>
[Immutable]
public readonly record struct None
{
    public static readonly None Value = default;
}

/// <summary>Base of requests for methods that return <see cref="Task"/> or <c>void</c>.</summary>
public abstract class VoidGrainRequest : GrainRequest<None>
{
    public sealed override None GetResult(Task completed) => None.Value;
}
