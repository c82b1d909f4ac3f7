using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>
/// Emits the assembly's registrar (references, request readers, serializer contexts), the
/// <c>[assembly: GeneratedGrainCode]</c> attribute that names it, and the argument-reading helpers
/// the generated requests share.
/// </summary>
internal static class RegistrarEmitter
{
    private const string Json = "global::System.Text.Json.";
    private const string Runtime = "global::OpenClaw.Runtime.";

    public static string Emit(
        string registrar,
        IReadOnlyList<InterfaceModel> interfaces,
        IReadOnlyList<string> referenceClasses,
        IReadOnlyList<SerializerContextModel> contexts)
    {
        var generated = "global::" + Names.GeneratedNamespace + ".";
        var writer = new CodeWriter().Header();
        writer.Line($"[assembly: {Runtime}GeneratedGrainCode(typeof({generated}{registrar}))]");
        writer.Line();
        writer.Open("namespace " + Names.GeneratedNamespace);
        writer.Line("/// <summary>Registers this assembly's generated grain code with the runtime.</summary>");
        writer.Line(ReferenceEmitter.GeneratedCodeAttribute);
        writer.Open($"internal sealed class {registrar} : {Runtime}IGrainCodeRegistrar");

        writer.Open($"public void Register({Runtime}GrainCodeRegistry registry)");
        foreach (var context in contexts) writer.Line($"registry.AddSerializerContext({context.QualifiedName}.Default);");
        for (var i = 0; i < interfaces.Count; i++)
        {
            var model = interfaces[i];
            var reference = generated + referenceClasses[i];
            writer.Line($"registry.AddInterface(typeof({model.QualifiedName}), static (grainId, router) => new {reference}(grainId, router));");
            foreach (var method in model.Methods)
            {
                writer.Line($"registry.AddRequestReader({Literal(model.MetadataName)}, {method.MethodId}, " +
                    $"{reference}.{ReferenceEmitter.RequestClassName(method)}.Read);");
            }
        }
        writer.Close();
        writer.Line();
        EmitReadHelpers(writer);
        writer.Close();
        writer.Close();
        return writer.ToString();
    }

    private static void EmitReadHelpers(CodeWriter writer)
    {
        const string reader = "ref " + Json + "Utf8JsonReader reader";
        const string tokens = Json + "JsonTokenType";
        const string error = Json + "JsonException";

        writer.Line("/// <summary>Moves to the start of an argument array (the reader may be before it).</summary>");
        writer.Open($"internal static void ReadArgumentsStart({reader}, string method)");
        writer.Line($"if ((reader.TokenType == {tokens}.None || reader.TokenType == {tokens}.PropertyName) && !reader.Read())");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: the JSON ends before the argument array.\");");
        writer.Line($"if (reader.TokenType != {tokens}.StartArray)");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: expected a JSON array but found {{reader.TokenType}}.\");");
        writer.Close();
        writer.Line();

        writer.Line("/// <summary>Reads the next element of an argument array.</summary>");
        writer.Open($"internal static T ReadArgument<T>({reader}, string method, int index, int count)");
        writer.Line("if (!reader.Read())");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: the JSON ends before argument {{index}}.\");");
        writer.Line($"if (reader.TokenType == {tokens}.EndArray)");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: expected {{count}} argument(s) but found {{index}}.\");");
        writer.Open("try");
        writer.Line($"return {Runtime}GrainSerializer.Read<T>(ref reader)!;");
        writer.Close();
        writer.Open($"catch ({error} exception)");
        writer.Line($"throw new {error}($\"Arguments of {{method}}: argument {{index}} is invalid: {{exception.Message}}\", exception);");
        writer.Close();
        writer.Close();
        writer.Line();

        writer.Line("/// <summary>Checks that the argument array ends after the expected number of elements.</summary>");
        writer.Open($"internal static void ReadArgumentsEnd({reader}, string method, int count)");
        writer.Line("if (!reader.Read())");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: the JSON ends before the end of the argument array.\");");
        writer.Line($"if (reader.TokenType != {tokens}.EndArray)");
        writer.Line($"    throw new {error}($\"Arguments of {{method}}: expected {{count}} argument(s) but found more.\");");
        writer.Close();
    }

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
