using System.Reflection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Maps grain interfaces to the grain classes that implement them and names each grain type.
/// Built once at startup from the assemblies given to <see cref="GrainRuntimeBuilder.AddGrains"/>.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClassInfo> _byInterface = new();
    private readonly Dictionary<string, GrainClassInfo> _byType = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IOptions<GrainRuntimeOptions> options, IEnumerable<GrainAssembly> assemblies)
    {
        var runtimeOptions = options.Value;
        foreach (var assembly in assemblies.Select(a => a.Assembly).Distinct())
        {
            GrainCodeRegistry.Instance.EnsureAssembly(assembly);
            foreach (var type in assembly.GetTypes())
            {
                if (!type.IsClass || type.IsAbstract || type.IsGenericTypeDefinition || !typeof(Grain).IsAssignableFrom(type)) continue;
                Register(type, runtimeOptions);
            }
        }
    }

    private void Register(Type grainClass, GrainRuntimeOptions options)
    {
        var name = GrainTypeName(grainClass);
        var age = options.ClassSpecificCollectionAge.TryGetValue(name, out var configured) ? configured
            : grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>() is { Age: var attributeAge } && attributeAge > TimeSpan.Zero ? attributeAge
            : options.CollectionAge;
        var info = new GrainClassInfo(name, grainClass, age);
        if (_byType.TryGetValue(name, out var existing))
            throw new InvalidOperationException($"Grain classes {existing.GrainClass.FullName} and {grainClass.FullName} both have the grain type '{name}'.");
        _byType[name] = info;
        foreach (var grainInterface in grainClass.GetInterfaces())
        {
            if (!typeof(IGrain).IsAssignableFrom(grainInterface) || grainInterface == typeof(IGrain) || grainInterface == typeof(IGrainWithStringKey)) continue;
            GrainCodeRegistry.Instance.EnsureAssembly(grainInterface.Assembly);
            // Many grain classes implement IRemindable: it is called by grain id, never resolved by interface alone.
            if (grainInterface == typeof(IRemindable)) continue;
            if (_byInterface.TryGetValue(grainInterface, out var other))
                throw new InvalidOperationException($"Grain interface {grainInterface.FullName} is implemented by both {other.GrainClass.FullName} and {grainClass.FullName}.");
            _byInterface[grainInterface] = info;
        }
    }

    public static string GrainTypeName(Type grainClass)
    {
        if (grainClass.GetCustomAttribute<GrainTypeAttribute>() is { } attribute) return attribute.Name;
        var name = grainClass.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length) name = name[..^"Grain".Length];
        return name.ToLowerInvariant();
    }

    public GrainClassInfo GetByInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var info)
            ? info
            : throw new ArgumentException($"No grain class implements {grainInterface.FullName}; register its assembly with AddGrains.", nameof(grainInterface));

    public bool TryGetByType(string grainType, out GrainClassInfo info) => _byType.TryGetValue(grainType, out info!);

    public bool IsSiloBound(string grainType) => _byType.TryGetValue(grainType, out var info) && info.IsSiloBound;

    public IReadOnlyCollection<GrainClassInfo> GrainClasses => _byType.Values;

    public IEnumerable<KeyValuePair<Type, GrainClassInfo>> Interfaces => _byInterface;
}

/// <summary>An assembly whose grain classes the silo hosts.</summary>
public sealed record GrainAssembly(Assembly Assembly);
