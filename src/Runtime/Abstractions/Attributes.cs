namespace OpenClaw.Runtime;

/// <summary>
/// The method may run while another call of the same activation is in progress (abort, cancel,
/// read-only queries). Its turns still never run in parallel with other turns of the activation.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Every call to this grain class may interleave with the others.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>The caller does not wait for the outcome (fire and forget).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;

/// <summary>Names the grain type of a grain class (default: the class name without a trailing "Grain", lower case).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Overrides the idle collection age for one grain class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Minutes { get; init; }
    public double Seconds { get; init; }
    public TimeSpan Age => TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}

/// <summary>
/// Values of this type are never mutated after construction, so the runtime passes them between
/// grains without copying them.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class ImmutableAttribute : Attribute;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{T}"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;
    public string StorageName { get; } = storageName ?? GrainStorageNames.Default;
}
