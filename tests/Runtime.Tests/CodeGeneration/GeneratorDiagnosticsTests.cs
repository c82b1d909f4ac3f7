using Microsoft.CodeAnalysis;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>The OCG errors the generator reports for interfaces it cannot generate code for.</summary>
public sealed class GeneratorDiagnosticsTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using OpenClaw.Runtime;

        """;

    [Theory]
    [InlineData("ValueTask<int> Bad();", "OCG004")]
    [InlineData("ValueTask Bad();", "OCG004")]
    [InlineData("int Bad();", "OCG003")]
    [InlineData("void Bad();", "OCG008")]
    [InlineData("Task Bad(CancellationToken cancellationToken, int value);", "OCG007")]
    [InlineData("[OneWay] Task Bad(CancellationToken cancellationToken);", "OCG007")]
    [InlineData("Task Bad(CancellationToken first, CancellationToken second);", "OCG007")]
    [InlineData("Task Bad(ref int value);", "OCG005")]
    [InlineData("Task Bad(out int value);", "OCG005")]
    [InlineData("Task Bad(in int value);", "OCG005")]
    [InlineData("Task<T> Bad<T>();", "OCG002")]
    [InlineData("int Bad { get; }", "OCG006")]
    [InlineData("event System.EventHandler Bad;", "OCG006")]
    [InlineData("[OneWay] Task<int> Bad();", "OCG011")]
    public void Unsupported_grain_members_are_reported_and_nothing_is_generated_for_the_interface(string member, string id)
    {
        var source = Usings + $$"""
            namespace Sample;
            public interface IBadGrain : IGrainWithStringKey
            {
                Task<int> Good();
                {{member}}
            }
            public interface IFineGrain : IGrainWithStringKey
            {
                Task<int> Good();
            }
            """;

        var (result, _) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("Bad", diagnostic.GetMessage());
        Assert.Equal(7, diagnostic.Location.GetLineSpan().StartLinePosition.Line); // the member's line
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.Contains("IBadGrain"));
        Assert.Contains(result.GeneratedSources, s => s.HintName.Contains("IFineGrain"));
    }

    [Fact]
    public void ValueTask_message_says_what_to_do_instead()
    {
        var (result, _) = GeneratorHarness.Run(Usings + """
            public interface IBadGrain : IGrainWithStringKey { ValueTask<int> Count(); }
            """);

        var message = Assert.Single(result.Diagnostics).GetMessage();
        Assert.Contains("ValueTask is not supported", message);
        Assert.Contains("return Task or Task<T> instead", message);
    }

    [Fact]
    public void Void_is_fine_on_observers_but_generic_interfaces_are_not()
    {
        var (result, _) = GeneratorHarness.Run(Usings + """
            public interface IFineObserver : IGrainObserver { void Notify(string text); }
            public interface IBadGrain<T> : IGrainWithStringKey { Task<T> Get(); }
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("OCG001", diagnostic.Id);
        Assert.Contains(result.GeneratedSources, s => s.HintName.Contains("IFineObserver"));
    }

    [Fact]
    public void Problems_of_inherited_methods_are_reported_once()
    {
        var (result, _) = GeneratorHarness.Run(Usings + """
            public interface IBaseGrain : IGrainWithStringKey { ValueTask Bad(); }
            public interface IDerivedGrain : IBaseGrain { Task Good(); }
            public interface IOtherGrain : IBaseGrain { Task Fine(); }
            """);

        Assert.Equal("OCG004", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Private_nested_grain_interfaces_are_reported()
    {
        var (result, _) = GeneratorHarness.Run(Usings + """
            public class Outer { private interface IHiddenGrain : IGrainWithStringKey { Task Go(); } }
            """);

        Assert.Equal("OCG010", Assert.Single(result.Diagnostics).Id);
    }
}
