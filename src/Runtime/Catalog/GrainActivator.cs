using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Runtime;

/// <summary>
/// Creates grain instances: constructor parameters come from the silo's services, except
/// <see cref="PersistentStateAttribute"/> parameters, which get the activation's own state objects.
/// </summary>
internal sealed class GrainActivator(IServiceProvider services)
{
    private readonly ConcurrentDictionary<Type, Plan> _plans = new();

    public Grain Create(ActivationData activation, List<IPersistentStateLoader> states)
    {
        var plan = _plans.GetOrAdd(activation.ClassInfo.GrainClass, BuildPlan);
        var arguments = new object?[plan.Parameters.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = plan.Parameters[i];
            if (parameter.State is { } state)
            {
                var storage = services.GetKeyedService<IGrainStorage>(state.StorageName)
                    ?? throw new InvalidOperationException($"No grain storage named '{state.StorageName}' is registered (needed by {plan.Constructor.DeclaringType!.Name}).");
                var key = new GrainStateKey(activation.GrainId.Type, activation.GrainId.Key, state.StateName);
                var value = Activator.CreateInstance(parameter.StateImplementation!, key, new LeaseFencedGrainStorage(storage, activation.Lease))!;
                states.Add((IPersistentStateLoader)value);
                arguments[i] = value;
            }
            else
            {
                arguments[i] = services.GetService(parameter.Type)
                    ?? throw new InvalidOperationException($"Cannot create {plan.Constructor.DeclaringType!.Name}: no service of type {parameter.Type.Name} is registered.");
            }
        }
        return GrainActivationScope.Construct(activation, () => (Grain)plan.Constructor.Invoke(arguments));
    }

    private static Plan BuildPlan(Type grainClass)
    {
        var constructor = grainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {grainClass.FullName} has no public constructor.");
        var parameters = constructor.GetParameters().Select(p =>
        {
            var attribute = p.GetCustomAttribute<PersistentStateAttribute>();
            if (attribute is null) return new ParameterPlan(p.ParameterType, null, null);
            if (!p.ParameterType.IsGenericType || p.ParameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
                throw new InvalidOperationException($"[PersistentState] parameter '{p.Name}' of {grainClass.Name} must be an IPersistentState<T>.");
            var implementation = typeof(PersistentState<>).MakeGenericType(p.ParameterType.GetGenericArguments()[0]);
            return new ParameterPlan(p.ParameterType, attribute, implementation);
        }).ToArray();
        return new Plan(constructor, parameters);
    }

    private sealed record Plan(ConstructorInfo Constructor, ParameterPlan[] Parameters);

    private sealed record ParameterPlan(Type Type, PersistentStateAttribute? State, Type? StateImplementation);
}
