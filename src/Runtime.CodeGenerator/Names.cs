using System.Collections.Generic;
using System.Collections.Immutable;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>Chooses the names of the generated classes: readable, and unique within the assembly.</summary>
internal static class Names
{
    public const string GeneratedNamespace = "OpenClaw.Runtime.Generated";

    public static string Registrar(string assemblyName) => SymbolNames.Sanitize(assemblyName) + "_GrainCodeRegistrar";

    /// <summary>
    /// One reference class name per interface (in the given, sorted order): the sanitized full name
    /// plus "_Reference", with a number appended when two full names sanitize alike.
    /// </summary>
    public static ImmutableArray<string> References(IReadOnlyList<InterfaceModel> interfaces, string registrar)
    {
        var used = new HashSet<string> { registrar };
        var names = ImmutableArray.CreateBuilder<string>(interfaces.Count);
        foreach (var model in interfaces)
        {
            var stem = SymbolNames.Sanitize(model.MetadataName);
            var name = stem + "_Reference";
            for (var n = 2; !used.Add(name); n++) name = stem + "_" + n + "_Reference";
            names.Add(name);
        }
        return names.MoveToImmutable();
    }
}
