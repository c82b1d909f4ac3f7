using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>The errors the generator reports on grain and observer interfaces.</summary>
internal static class Diagnostics
{
    private const string Category = "OpenClaw.Runtime.CodeGenerator";

    public static readonly DiagnosticDescriptor GenericInterface = Error(
        "OCG001",
        "Generic grain interfaces are not supported",
        "Grain interface '{0}' is generic (or nested in a generic type); generic grain interfaces are not supported");

    public static readonly DiagnosticDescriptor GenericMethod = Error(
        "OCG002",
        "Generic grain methods are not supported",
        "Grain method '{0}.{1}' is generic; generic grain methods are not supported");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "OCG003",
        "Unsupported grain method return type",
        "Grain method '{0}.{1}' returns '{2}'; grain methods must return Task or Task<T> (observer methods may also return void)");

    public static readonly DiagnosticDescriptor ValueTaskReturnType = Error(
        "OCG004",
        "ValueTask is not supported on grain interfaces",
        "Grain method '{0}.{1}' returns '{2}'; ValueTask is not supported by grain references, return Task or Task<T> instead");

    public static readonly DiagnosticDescriptor ByRefParameter = Error(
        "OCG005",
        "ref, out and in parameters are not supported",
        "Parameter '{2}' of grain method '{0}.{1}' is passed by reference ({3}); grain method parameters must be passed by value");

    public static readonly DiagnosticDescriptor PropertyOrEvent = Error(
        "OCG006",
        "Properties and events are not supported on grain interfaces",
        "Grain interface '{0}' declares {1} '{2}'; grain interfaces may only declare methods");

    public static readonly DiagnosticDescriptor CancellationTokenParameter = Error(
        "OCG007",
        "A CancellationToken must be the last parameter of a grain method that returns Task",
        "Parameter '{2}' of grain method '{0}.{1}' is a CancellationToken; a grain method may take one, as its last parameter, and only when it returns Task or Task<T> (one-way calls cannot be cancelled)");

    public static readonly DiagnosticDescriptor VoidOnGrain = Error(
        "OCG008",
        "void grain methods must be [OneWay]",
        "Grain method '{0}.{1}' returns void; on grain interfaces return Task, or mark the method [OneWay] (only observer methods are implicitly one-way)");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
        "OCG009",
        "Unsupported grain method parameter type",
        "Parameter '{2}' of grain method '{0}.{1}' has type '{3}', which cannot be stored in a request (ref struct or pointer)");

    public static readonly DiagnosticDescriptor InaccessibleInterface = Error(
        "OCG010",
        "Grain interface is not accessible",
        "Grain interface '{0}' must be accessible from its assembly (public or internal, not nested in a private or protected scope)");

    public static readonly DiagnosticDescriptor OneWayWithResult = Error(
        "OCG011",
        "One-way grain methods cannot return a value",
        "Grain method '{0}.{1}' is [OneWay] but returns '{2}'; one-way methods must return Task or void");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
    {
        GenericInterface, GenericMethod, UnsupportedReturnType, ValueTaskReturnType, ByRefParameter, PropertyOrEvent,
        CancellationTokenParameter, VoidOnGrain, UnsupportedParameterType, InaccessibleInterface, OneWayWithResult,
    }.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
