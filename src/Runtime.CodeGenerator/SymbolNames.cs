using System.Text;
using Microsoft.CodeAnalysis;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>Recognizes the runtime's and the framework's types by name, and formats names.</summary>
internal static class SymbolNames
{
    private static readonly string[] RuntimeNamespace = ["OpenClaw", "Runtime"];
    private static readonly string[] TasksNamespace = ["System", "Threading", "Tasks"];
    private static readonly string[] ThreadingNamespace = ["System", "Threading"];
    private static readonly string[] JsonSerializationNamespace = ["System", "Text", "Json", "Serialization"];

    /// <summary>Fully qualified (<c>global::</c>) C# names, keeping nullable reference annotations.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static bool IsRuntimeType(ISymbol? symbol, string name) => IsTopLevel(symbol, name, RuntimeNamespace);

    public static bool IsTask(ITypeSymbol type) => IsTopLevel(type, "Task", TasksNamespace);

    public static bool IsValueTask(ITypeSymbol type) => IsTopLevel(type, "ValueTask", TasksNamespace);

    public static bool IsCancellationToken(ITypeSymbol type) => IsTopLevel(type, "CancellationToken", ThreadingNamespace);

    public static bool IsJsonSerializerContext(ITypeSymbol type) =>
        IsTopLevel(type, "JsonSerializerContext", JsonSerializationNamespace);

    /// <summary>The runtime's own marker interfaces, for which nothing is generated.</summary>
    public static bool IsMarkerInterface(INamedTypeSymbol type) =>
        IsRuntimeType(type, "IAddressable") || IsRuntimeType(type, "IGrain") || IsRuntimeType(type, "IGrainObserver")
        || (IsTopLevel(type, type.Name, RuntimeNamespace) && type.Name.StartsWith("IGrainWith") && type.Name.EndsWith("Key"));

    /// <summary>The name <c>Type.FullName</c> returns at run time (namespace dots, '+' between nested types).</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var builder = new StringBuilder();
        AppendNamespace(builder, type.ContainingNamespace);
        AppendType(builder, type);
        return builder.ToString();
    }

    public static string Qualified(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>Replaces every character that cannot appear in an identifier with '_'.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name) builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0 || char.IsDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    private static bool IsTopLevel(ISymbol? symbol, string name, string[] namespaceParts)
    {
        if (symbol is null || symbol.Name != name || symbol.ContainingType is not null) return false;
        var ns = symbol.ContainingNamespace;
        for (var i = namespaceParts.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != namespaceParts[i]) return false;
            ns = ns.ContainingNamespace;
        }
        return ns is not null && ns.IsGlobalNamespace;
    }

    private static void AppendNamespace(StringBuilder builder, INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace) return;
        AppendNamespace(builder, ns.ContainingNamespace);
        builder.Append(ns.Name).Append('.');
    }

    private static void AppendType(StringBuilder builder, INamedTypeSymbol type)
    {
        if (type.ContainingType is { } outer)
        {
            AppendType(builder, outer);
            builder.Append('+');
        }
        builder.Append(type.MetadataName);
    }
}
