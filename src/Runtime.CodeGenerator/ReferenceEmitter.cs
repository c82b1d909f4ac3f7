using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>
/// Emits, for one grain interface, the reference class and (nested in it) one request class per method.
/// </summary>
internal static class ReferenceEmitter
{
    public const string GeneratedCodeAttribute =
        "[global::System.CodeDom.Compiler.GeneratedCode(\"OpenClaw.Runtime.CodeGenerator\", \"1.0.0.0\")]";

    private const string Task = "global::System.Threading.Tasks.Task";
    private const string Runtime = "global::OpenClaw.Runtime.";
    private const string Json = "global::System.Text.Json.";

    /// <summary>Name of the request class nested in the reference class.</summary>
    public static string RequestClassName(MethodModel method) =>
        SymbolNames.Sanitize(method.Name) + "_" + method.MethodId + "_Request";

    public static string Emit(InterfaceModel model, string referenceClass, string registrarClass)
    {
        var writer = new CodeWriter().Header();
        writer.Open("namespace " + Names.GeneratedNamespace);
        writer.Line("/// <summary>Grain reference for " + EscapeXml(model.MetadataName) + ".</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Open($"internal sealed class {referenceClass} : {Runtime}GrainReference, {model.QualifiedName}");
        writer.Line($"public {referenceClass}({Runtime}GrainId grainId, {Runtime}IGrainCallRouter router)");
        writer.Line("    : base(grainId, router)");
        writer.Line("{");
        writer.Line("}");
        writer.Line();
        writer.Line($"public override string InterfaceName => {Literal(model.MetadataName)};");
        foreach (var method in model.Methods)
        {
            writer.Line();
            EmitReferenceMethod(writer, method);
        }
        foreach (var method in model.Methods)
        {
            writer.Line();
            EmitRequest(writer, model, method, registrarClass);
        }
        writer.Close();
        writer.Close();
        return writer.ToString();
    }

    private static void EmitReferenceMethod(CodeWriter writer, MethodModel method)
    {
        var parameters = string.Join(", ", method.Parameters.Select(p => p.Type + " @" + p.Name));
        writer.Open($"{ReturnType(method)} {method.DeclaringInterface}.{method.Name}({parameters})");
        var local = "request";
        while (method.Parameters.Any(p => p.Name == local)) local += "_";
        var copies = string.Join(", ", method.Parameters.Where(p => !p.IsCancellationToken)
            .Select(p => $"{Runtime}GrainCopier.Copy<{p.Type}>(@{p.Name})"));
        writer.Line($"var {local} = new {RequestClassName(method)}({copies});");
        if (method.Parameters.FirstOrDefault(p => p.IsCancellationToken) is { } token)
            writer.Line($"{local}.CallerCancellation = @{token.Name};");
        if (method.ReturnKind == ReturnKind.Void)
        {
            writer.Line($"this.Router.InvokeOneWay(this, {local});");
        }
        else if (method.OneWay)
        {
            writer.Line($"this.Router.InvokeOneWay(this, {local});");
            writer.Line($"return {Task}.CompletedTask;");
        }
        else
        {
            writer.Line($"return this.Router.InvokeAsync<{ResultType(method)}>(this, {local});");
        }
        writer.Close();
    }

    private static void EmitRequest(CodeWriter writer, InterfaceModel model, MethodModel method, string registrarClass)
    {
        var name = RequestClassName(method);
        var baseClass = method.ReturnKind == ReturnKind.TaskOfT
            ? $"{Runtime}GrainRequest<{method.ResultType}>"
            : $"{Runtime}VoidGrainRequest";
        // The CancellationToken (always last) is not an argument that travels: the callee gets CalleeCancellation.
        var parameters = method.Parameters.Where(p => !p.IsCancellationToken).ToArray();
        var takesCancellation = parameters.Length != method.Parameters.Length;
        writer.Line($"/// <summary>A call of {EscapeXml(model.MetadataName + "." + method.Name)}.</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Open($"internal sealed class {name} : {baseClass}");

        for (var i = 0; i < parameters.Length; i++) writer.Line($"public {parameters[i].Type} Arg{i};");
        if (parameters.Length > 0) writer.Line();

        var ctorParameters = string.Join(", ", parameters.Select((p, i) => $"{p.Type} arg{i}"));
        writer.Open($"public {name}({ctorParameters})");
        for (var i = 0; i < parameters.Length; i++) writer.Line($"this.Arg{i} = arg{i};");
        writer.Close();
        writer.Line();

        writer.Line($"public override string InterfaceName => {Literal(model.MetadataName)};");
        writer.Line($"public override string MethodName => {Literal(method.Name)};");
        writer.Line($"public override int MethodId => {method.MethodId};");
        var flags = Flags(method);
        if (flags is not null) writer.Line($"public override {Runtime}InvokeFlags Flags => {flags};");
        if (takesCancellation) writer.Line("public override bool AcceptsCancellation => true;");
        writer.Line();

        var arguments = parameters.Select((_, i) => $"this.Arg{i}");
        if (takesCancellation) arguments = arguments.Concat(["this.CalleeCancellation"]);
        var call = $"(({method.DeclaringInterface})target).{method.Name}({string.Join(", ", arguments)})";
        if (method.ReturnKind == ReturnKind.Void)
        {
            writer.Open($"public override {Task} Invoke(object target)");
            writer.Line(call + ";");
            writer.Line($"return {Task}.CompletedTask;");
            writer.Close();
        }
        else
        {
            writer.Line($"public override {Task} Invoke(object target) => {call};");
        }
        writer.Line();

        writer.Open($"public override void WriteArguments({Json}Utf8JsonWriter writer, {Json}JsonSerializerOptions options)");
        writer.Line("writer.WriteStartArray();");
        for (var i = 0; i < parameters.Length; i++)
            writer.Line($"{Runtime}GrainSerializer.Write<{parameters[i].Type}>(writer, this.Arg{i});");
        writer.Line("writer.WriteEndArray();");
        writer.Close();
        writer.Line();

        var helper = $"global::{Names.GeneratedNamespace}.{registrarClass}";
        var label = Literal(model.MetadataName + "." + method.Name);
        writer.Line("/// <summary>Reads the JSON array written by WriteArguments.</summary>");
        writer.Open($"public static {name} Read(ref {Json}Utf8JsonReader reader, {Json}JsonSerializerOptions options)");
        writer.Line($"{helper}.ReadArgumentsStart(ref reader, {label});");
        for (var i = 0; i < parameters.Length; i++)
            writer.Line($"var arg{i} = {helper}.ReadArgument<{parameters[i].Type}>(ref reader, {label}, {i}, {parameters.Length});");
        writer.Line($"{helper}.ReadArgumentsEnd(ref reader, {label}, {parameters.Length});");
        writer.Line($"return new {name}({string.Join(", ", parameters.Select((_, i) => "arg" + i))});");
        writer.Close();

        writer.Close();
    }

    private static string ReturnType(MethodModel method) => method.ReturnKind switch
    {
        ReturnKind.Void => "void",
        ReturnKind.TaskOfT => $"{Task}<{method.ResultType}>",
        _ => Task,
    };

    private static string ResultType(MethodModel method) =>
        method.ReturnKind == ReturnKind.TaskOfT ? method.ResultType : Runtime + "None";

    private static string? Flags(MethodModel method)
    {
        var flags = new[]
        {
            method.AlwaysInterleave ? Runtime + "InvokeFlags.AlwaysInterleave" : null,
            method.OneWay ? Runtime + "InvokeFlags.OneWay" : null,
        }.Where(f => f is not null).ToArray();
        return flags.Length == 0 ? null : string.Join(" | ", flags);
    }

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    private static string EscapeXml(string value) =>
        value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
