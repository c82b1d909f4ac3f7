using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OpenClaw.Runtime.CodeGenerator;

// The pipeline's output models: plain strings and values only (no symbols, no syntax), so they
// compare by value and the incremental generator can reuse its work between edits.

/// <summary>How a grain method returns.</summary>
internal enum ReturnKind
{
    /// <summary><c>Task</c>: awaited, no value.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>: awaited, yields <see cref="MethodModel.ResultType"/>.</summary>
    TaskOfT,

    /// <summary><c>void</c>: one-way.</summary>
    Void,
}

/// <param name="Type">Fully qualified type, with nullable annotations.</param>
/// <param name="Name">Source name (emitted as a verbatim identifier).</param>
/// <param name="IsCancellationToken">The call's cancellation: never serialized; the callee gets a token the runtime cancels.</param>
internal sealed record ParameterModel(string Type, string Name, bool IsCancellationToken = false);

/// <param name="DeclaringInterface">Fully qualified interface that declares the method (may be a base).</param>
/// <param name="ResultType">Fully qualified result type for <see cref="ReturnKind.TaskOfT"/>, otherwise empty.</param>
/// <param name="MethodId">Ordinal in the list of methods the grain interface exposes.</param>
internal sealed record MethodModel(
    string Name,
    string DeclaringInterface,
    ReturnKind ReturnKind,
    string ResultType,
    EquatableArray<ParameterModel> Parameters,
    bool AlwaysInterleave,
    bool OneWay,
    int MethodId);

/// <summary>A grain or observer interface declared in the compilation.</summary>
/// <param name="MetadataName">Same as <c>Type.FullName</c> (nested types use '+').</param>
/// <param name="QualifiedName">Fully qualified C# name (<c>global::...</c>).</param>
/// <param name="HasErrors">No code is generated for interfaces with errors.</param>
internal sealed record InterfaceModel(
    string MetadataName,
    string QualifiedName,
    EquatableArray<MethodModel> Methods,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool HasErrors);

/// <summary>A source-generated <c>JsonSerializerContext</c> the registrar adds to the serializer.</summary>
internal sealed record SerializerContextModel(string MetadataName, string QualifiedName);

/// <summary>What the generator needs from the compilation itself.</summary>
/// <param name="AssemblyName">The compilation's assembly name.</param>
/// <param name="ReferencesRuntime">False when OpenClaw.Runtime is not referenced: nothing is generated.</param>
internal sealed record CompilationInfo(string AssemblyName, bool ReferencesRuntime);

/// <summary>A source location that can be cached (no syntax tree reference).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || !location.IsInSource) return null;
        return new LocationInfo(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}

/// <summary>A diagnostic to report, in cacheable form.</summary>
internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public Diagnostic ToDiagnostic()
    {
        var args = new object[MessageArgs.Length];
        for (var i = 0; i < args.Length; i++) args[i] = MessageArgs[i];
        return Diagnostic.Create(Diagnostics.ById(DescriptorId), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, args);
    }
}
