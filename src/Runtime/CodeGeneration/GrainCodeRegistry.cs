using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OpenClaw.Runtime;

/// <summary>Creates a typed reference for a grain id, bound to a router.</summary>
public delegate GrainReference GrainReferenceFactory(GrainId grainId, IGrainCallRouter router);

/// <summary>Reads a request's JSON argument array (written by <see cref="GrainRequest.WriteArguments"/>).</summary>
public delegate GrainRequest GrainRequestReader(ref Utf8JsonReader reader, JsonSerializerOptions options);

/// <summary>
/// Process-wide table of what the source generator produced: reference factories per grain
/// interface, request readers per method, serializer contexts. Assemblies are registered lazily,
/// the first time one of their types is used, through <see cref="GeneratedGrainCodeAttribute"/>.
/// </summary>
public sealed class GrainCodeRegistry
{
    public static GrainCodeRegistry Instance { get; } = new();

    private readonly ConcurrentDictionary<Type, GrainReferenceFactory> _references = new();
    private readonly ConcurrentDictionary<(string Interface, int MethodId), GrainRequestReader> _readers = new();
    private readonly ConcurrentDictionary<string, Type> _interfacesByName = new();
    private readonly ConcurrentDictionary<Assembly, bool> _assemblies = new();
    private readonly object _registrationLock = new();

    public void AddInterface(Type grainInterface, GrainReferenceFactory factory)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        _references[grainInterface] = factory;
        _interfacesByName[grainInterface.FullName!] = grainInterface;
    }

    public void AddRequestReader(string interfaceName, int methodId, GrainRequestReader reader) =>
        _readers[(interfaceName, methodId)] = reader;

    public void AddSerializerContext(IJsonTypeInfoResolver context) => GrainSerializer.AddResolver(context);

    /// <summary>Runs the generated registrars of <paramref name="assembly"/>, once.</summary>
    public void EnsureAssembly(Assembly assembly)
    {
        if (_assemblies.ContainsKey(assembly)) return;
        lock (_registrationLock)
        {
            if (_assemblies.ContainsKey(assembly)) return;
            foreach (var attribute in assembly.GetCustomAttributes<GeneratedGrainCodeAttribute>())
            {
                var registrar = (IGrainCodeRegistrar)Activator.CreateInstance(attribute.RegistrarType)!;
                registrar.Register(this);
            }
            _assemblies[assembly] = true;
        }
    }

    public GrainReferenceFactory GetReferenceFactory(Type grainInterface)
    {
        if (_references.TryGetValue(grainInterface, out var factory)) return factory;
        if (!grainInterface.IsInterface || !typeof(IAddressable).IsAssignableFrom(grainInterface))
            throw new ArgumentException($"{grainInterface.FullName} is not a grain or observer interface.", nameof(grainInterface));
        EnsureAssembly(grainInterface.Assembly);
        return _references.TryGetValue(grainInterface, out factory)
            ? factory
            : throw new InvalidOperationException(
                $"No generated reference for {grainInterface.FullName}: the assembly that declares it must reference OpenClaw.Runtime.CodeGenerator as an analyzer.");
    }

    public bool TryGetRequestReader(string interfaceName, int methodId, out GrainRequestReader reader) =>
        _readers.TryGetValue((interfaceName, methodId), out reader!);

    public bool TryGetInterface(string interfaceName, out Type grainInterface) =>
        _interfacesByName.TryGetValue(interfaceName, out grainInterface!);
}
