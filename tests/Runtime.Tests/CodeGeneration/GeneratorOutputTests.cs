using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OpenClaw.Runtime.CodeGenerator;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>What the generator emits for awkward but valid interfaces, and its caching.</summary>
public sealed class GeneratorOutputTests
{
    private const string AwkwardInterfaces = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using OpenClaw.Runtime;

        namespace Sample.Deep
        {
            public record Item(string Name);

            public interface IRootGrain : IGrainWithStringKey { Task<int> Root(); }
            public interface ILeftGrain : IRootGrain { Task Left(string? maybe); }
            public interface IRightGrain : IRootGrain { Task<string?> Right(Item? item, List<string?> names); }

            // Diamond: IRootGrain's method appears once.
            public partial interface IDiamondGrain : ILeftGrain, IRightGrain
            {
                Task<(int Count, string Text)> Tuple(int @event, string request, string @this);
            }

            public partial interface IDiamondGrain
            {
                [Obsolete("old")] Task Old(DateTime when, int? optional = null, params string[] rest);
                [OneWay] void Fire();
            }

            public class Outer
            {
                internal interface INestedObserver : IGrainObserver { void Changed(Item item); Task Done(); }
            }
        }

        namespace Sample { public interface Deep_IRootGrain_Collision : IGrainWithStringKey { Task Go(); } }
        namespace Sample.Deep_IRootGrain { public interface Collision : IGrainWithStringKey { Task Go(); } }

        #nullable disable
        namespace Sample.Oblivious { public interface IOldGrain : IGrainWithStringKey { Task<string> Get(string key, object value); } }
        """;

    [Fact]
    public void Generated_code_compiles_without_warnings_under_nullable()
    {
        var (result, output) = GeneratorHarness.Run(AwkwardInterfaces);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Equal(9, result.GeneratedSources.Length); // 8 interfaces + the registrar
        var diamond = GeneratorHarness.GeneratedSource(result, "IDiamondGrain");
        Assert.Contains("global::Sample.Deep.IRootGrain.Root()", diamond);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(diamond, @"IRootGrain\.Root\(\)\r?\n"));
        var registrar = GeneratorHarness.GeneratedSource(result, "Registrar");
        Assert.Contains("[assembly: global::OpenClaw.Runtime.GeneratedGrainCode(typeof(global::OpenClaw.Runtime.Generated.Generator_Test_Assembly_GrainCodeRegistrar))]", registrar);
        Assert.Contains("registry.AddInterface(typeof(global::Sample.Deep.Outer.INestedObserver)", registrar);
        Assert.Contains("registry.AddRequestReader(\"Sample.Deep.Outer+INestedObserver\", 1,", registrar);
    }

    [Fact]
    public void Serializer_contexts_are_registered_when_reachable_from_the_registrar()
    {
        var (result, _) = GeneratorHarness.Run("""
            using System.Text.Json.Serialization;
            namespace Contexts
            {
                [JsonSerializable(typeof(int))] public partial class PublicContext : JsonSerializerContext { }
                public partial class Holder
                {
                    [JsonSerializable(typeof(int))] internal partial class NestedContext : JsonSerializerContext { }
                    [JsonSerializable(typeof(int))] private partial class PrivateContext : JsonSerializerContext { }
                }
                [JsonSerializable(typeof(int))] public partial class GenericContext<T> : JsonSerializerContext { }
                [JsonSerializable(typeof(int))] public class NotPartialContext : JsonSerializerContext { }
                public partial class UnmarkedContext : JsonSerializerContext { }
            }
            """);

        var registrar = GeneratorHarness.GeneratedSource(result, "Registrar");
        Assert.Contains("registry.AddSerializerContext(global::Contexts.PublicContext.Default);", registrar);
        Assert.Contains("registry.AddSerializerContext(global::Contexts.Holder.NestedContext.Default);", registrar);
        Assert.DoesNotContain("PrivateContext", registrar);
        Assert.DoesNotContain("GenericContext", registrar);
        Assert.DoesNotContain("NotPartialContext", registrar);
        Assert.DoesNotContain("UnmarkedContext", registrar);
    }

    [Fact]
    public void Nothing_is_generated_without_a_reference_to_the_runtime()
    {
        var compilation = GeneratorHarness.Compilation(["public interface IPlain { }"], referenceRuntime: false);

        var (result, _) = GeneratorHarness.Run(compilation);

        Assert.Empty(result.GeneratedSources);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Pipeline_models_are_cached_across_unrelated_edits()
    {
        var compilation = GeneratorHarness.Compilation([AwkwardInterfaces, "namespace Other { public class A { } }"]);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("namespace Other { public class A { public int B; } }", GeneratorHarness.ParseOptions, path: "Source1.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var steps = result.TrackedSteps[TrackingNames.Interfaces];
        Assert.NotEmpty(steps);
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Interface step re-ran: {o.Reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Output step re-ran: {o.Reason}"));
    }
}
