using System.Text.Json.Serialization;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

// Grain and observer interfaces the generator runs on when this test project builds.

/// <summary>A mutable argument type: the runtime must copy it across the grain boundary.</summary>
public sealed record Basket
{
    public string Owner { get; set; } = "";
    public List<BasketItem> Items { get; set; } = [];
}

public sealed record BasketItem(string Sku, int Quantity);

[JsonSerializable(typeof(Basket))]
[JsonSerializable(typeof(BasketItem))]
internal sealed partial class CodeGenerationTestJsonContext : JsonSerializerContext;

/// <summary>A base grain interface: its methods come after the derived interface's own methods.</summary>
public interface ICountingGrain : IGrainWithStringKey
{
    Task<int> GetTotal();
}

public interface IBasketGrain : ICountingGrain
{
    Task<int> Add(int amount);

    Task<int> Add(int left, int right);

    Task<Basket> Store(Basket basket, BasketItem extra);

    Task Reset();

    [AlwaysInterleave]
    Task<string?> Echo(string? text);

    [OneWay]
    Task Ping(string message);

    [OneWay]
    void Fire(int value);
}

public interface IBasketObserver : IGrainObserver
{
    void OnItemAdded(BasketItem item);

    Task Flush();
}

/// <summary>The callee side: what a grain activation would be.</summary>
internal sealed class BasketGrain : IBasketGrain
{
    public int Total { get; private set; }
    public Basket? LastBasket { get; private set; }
    public List<string> Pings { get; } = [];
    public List<int> Fired { get; } = [];

    public Task<int> GetTotal() => Task.FromResult(Total);

    public Task<int> Add(int amount) => Task.FromResult(Total += amount);

    public Task<int> Add(int left, int right) => Task.FromResult(left + right);

    public Task<Basket> Store(Basket basket, BasketItem extra)
    {
        LastBasket = basket;
        basket.Items.Add(extra); // mutates the callee's copy only
        return Task.FromResult(basket);
    }

    public Task Reset()
    {
        Total = 0;
        return Task.CompletedTask;
    }

    public Task<string?> Echo(string? text) => Task.FromResult(text);

    public Task Ping(string message)
    {
        Pings.Add(message);
        return Task.CompletedTask;
    }

    public void Fire(int value) => Fired.Add(value);
}

internal sealed class BasketObserver : IBasketObserver
{
    public List<BasketItem> Items { get; } = [];
    public int Flushes { get; private set; }

    public void OnItemAdded(BasketItem item) => Items.Add(item);

    public Task Flush()
    {
        Flushes++;
        return Task.CompletedTask;
    }
}
