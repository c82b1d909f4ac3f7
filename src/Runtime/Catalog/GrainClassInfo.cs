using System.Reflection;

namespace OpenClaw.Runtime;

/// <summary>What the runtime knows about one grain class.</summary>
internal sealed class GrainClassInfo
{
    public GrainClassInfo(string grainType, Type grainClass, TimeSpan collectionAge)
    {
        GrainType = grainType;
        GrainClass = grainClass;
        CollectionAge = collectionAge;
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>() is not null;
        IsSiloBound = grainClass.GetCustomAttribute<SiloBoundAttribute>() is not null;
    }

    public string GrainType { get; }
    public Type GrainClass { get; }
    public TimeSpan CollectionAge { get; }
    public bool IsReentrant { get; }

    /// <summary>Addressed to one silo by its key (<see cref="SiloBoundAttribute"/>): never placed, never in the directory.</summary>
    public bool IsSiloBound { get; }
}
