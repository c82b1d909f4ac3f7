using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>
/// Finds the <c>JsonSerializerContext</c> classes (marked <c>[JsonSerializable]</c>) whose generated
/// <c>Default</c> instance the registrar can add to the grain serializer.
/// </summary>
internal static class SerializerContextReader
{
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";

    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    public static SerializerContextModel? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || type.IsAbstract) return null;
        if (!DerivesFromSerializerContext(type) || !IsReachable(type)) return null;
        return new SerializerContextModel(SymbolNames.MetadataName(type), SymbolNames.Qualified(type));
    }

    private static bool DerivesFromSerializerContext(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolNames.IsJsonSerializerContext(current)) return true;
        }
        return false;
    }

    /// <summary>Non-generic and visible to an internal class of the same assembly.</summary>
    private static bool IsReachable(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0 || current.IsFileLocal) return false;
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                return false;
        }
        return true;
    }
}
