using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>
/// Generates, for every grain and observer interface declared in a compilation, a typed
/// reference and one request class per method, plus an assembly registrar that also adds the
/// compilation's JsonSerializerContexts to the grain serializer.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainCodeGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax declaration
                    && (declaration.BaseList is not null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)),
                GrainInterfaceReader.Read)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Interfaces);

        var serializerContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SerializerContextReader.JsonSerializableAttribute,
                SerializerContextReader.IsCandidate,
                SerializerContextReader.Read)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.SerializerContexts);

        var compilation = context.CompilationProvider
            .Select(static (compilation, _) => new CompilationInfo(
                compilation.AssemblyName ?? "Assembly",
                compilation.GetTypeByMetadataName("OpenClaw.Runtime.IGrainCodeRegistrar") is not null))
            .WithTrackingName(TrackingNames.Compilation);

        var all = interfaces.Collect()
            .Combine(serializerContexts.Collect())
            .Combine(compilation);

        context.RegisterSourceOutput(all, static (output, input) =>
            Execute(output, input.Left.Left, input.Left.Right, input.Right));
    }

    private static void Execute(
        SourceProductionContext output,
        ImmutableArray<InterfaceModel> interfaces,
        ImmutableArray<SerializerContextModel> contexts,
        CompilationInfo compilation)
    {
        // Several interfaces may report the same problem (a base interface's method): report it once.
        var reported = new HashSet<DiagnosticInfo>();
        foreach (var diagnostic in interfaces.SelectMany(i => i.Diagnostics))
        {
            if (reported.Add(diagnostic)) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        if (!compilation.ReferencesRuntime) return;

        var grainInterfaces = interfaces
            .Where(i => !i.HasErrors)
            .GroupBy(i => i.MetadataName, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(i => i.MetadataName, StringComparer.Ordinal)
            .ToList();
        var serializerContexts = contexts
            .GroupBy(c => c.MetadataName, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(c => c.MetadataName, StringComparer.Ordinal)
            .ToList();
        if (grainInterfaces.Count == 0 && serializerContexts.Count == 0) return;

        var registrar = Names.Registrar(compilation.AssemblyName);
        var references = Names.References(grainInterfaces, registrar);
        for (var i = 0; i < grainInterfaces.Count; i++)
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            output.AddSource(references[i] + ".g.cs", ReferenceEmitter.Emit(grainInterfaces[i], references[i], registrar));
        }
        output.AddSource(registrar + ".g.cs", RegistrarEmitter.Emit(registrar, grainInterfaces, references, serializerContexts));
    }
}

/// <summary>Names of the pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string Interfaces = "GrainInterfaces";
    public const string SerializerContexts = "SerializerContexts";
    public const string Compilation = "CompilationInfo";
}
