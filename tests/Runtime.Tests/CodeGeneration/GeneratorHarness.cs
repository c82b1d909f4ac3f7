using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OpenClaw.Runtime.CodeGenerator;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>Runs <see cref="GrainCodeGenerator"/> in memory on source text.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths
            .Where(p => Path.GetFileName(p) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"))
            .Select(p => MetadataReference.CreateFromFile(p))];
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(IEnumerable<string> sources, bool referenceRuntime = true)
    {
        var references = FrameworkReferences.Value;
        if (referenceRuntime) references = references.Add(MetadataReference.CreateFromFile(typeof(IGrain).Assembly.Location));
        return CSharpCompilation.Create(
            "Generator.Test.Assembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new GrainCodeGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its result and the compilation including the generated code.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(params string[] sources) => Run(Compilation(sources));

    public static (GeneratorRunResult Result, Compilation Output) Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    public static string GeneratedSource(GeneratorRunResult result, string hintNameContains) =>
        result.GeneratedSources.Single(s => s.HintName.Contains(hintNameContains, StringComparison.Ordinal)).SourceText.ToString();

    /// <summary>Errors and warnings (hidden and info diagnostics are ignored).</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}
