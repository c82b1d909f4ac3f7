using System.Text;
using System.Text.Json;

namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>WriteArguments and the registered request readers.</summary>
public sealed class RequestSerializationTests
{
    private static readonly string BasketGrainName = typeof(IBasketGrain).FullName!;

    public RequestSerializationTests() => GrainCodeRegistry.Instance.EnsureAssembly(typeof(IBasketGrain).Assembly);

    [Fact]
    public async Task Calls_survive_a_json_round_trip_of_their_arguments()
    {
        var router = new FakeGrainCallRouter { RoundTripThroughJson = true };
        var grain = new BasketGrain();
        var reference = router.GetReference<IBasketGrain>(new GrainId("basket", "json"), grain);
        var basket = new Basket { Owner = "bob", Items = [new BasketItem("kiwi", 4)] };

        Assert.Equal(10, await reference.Add(10));
        Assert.Equal(3, await reference.Add(1, 2));
        Assert.Equal("héllo \"world\"", await reference.Echo("héllo \"world\""));
        Assert.Null(await reference.Echo(null));
        await reference.Store(basket, new BasketItem("lime", 1));
        await reference.Ping("json");
        reference.Fire(7);

        Assert.NotSame(basket, grain.LastBasket);
        Assert.Equal("bob", grain.LastBasket!.Owner);
        Assert.Equal([new BasketItem("kiwi", 4), new BasketItem("lime", 1)], grain.LastBasket.Items);
        Assert.Equal(["json"], grain.Pings);
        Assert.Equal([7], grain.Fired);
        Assert.All(router.Delivered.Where(r => r.MethodName == "Echo"), r => Assert.Equal(InvokeFlags.AlwaysInterleave, r.Flags));
    }

    [Fact]
    public void WriteArguments_writes_a_json_array_of_the_arguments()
    {
        var request = Capture(g => g.Store(new Basket { Owner = "eve" }, new BasketItem("plum", 2)));

        using var document = JsonDocument.Parse(FakeGrainCallRouter.WriteArguments(request));
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(2, document.RootElement.GetArrayLength());
        Assert.Equal("eve", Property(document.RootElement[0], "owner").GetString());
        Assert.Equal("plum", Property(document.RootElement[1], "sku").GetString());

        var noArguments = Capture(g => g.Reset());
        Assert.Equal("[]", Encoding.UTF8.GetString(FakeGrainCallRouter.WriteArguments(noArguments)));
    }

    [Fact]
    public void Reader_accepts_a_reader_already_positioned_on_the_array()
    {
        var reader = new Utf8JsonReader("[1, 2]"u8);
        Assert.True(reader.Read());

        var request = Read(1, ref reader);

        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.Equal("Add", request.MethodName);
        Assert.Equal(1, request.MethodId);
    }

    [Theory]
    [InlineData("{\"a\":1}", "expected a JSON array")]
    [InlineData("3", "expected a JSON array")]
    [InlineData("[1]", "expected 2 argument(s) but found 1")]
    [InlineData("[]", "expected 2 argument(s) but found 0")]
    [InlineData("[1, 2, 3]", "expected 2 argument(s) but found more")]
    [InlineData("[1, \"two\"]", "argument 1 is invalid")]
    public void Reader_rejects_malformed_arguments_with_a_JsonException(string json, string message)
    {
        var exception = Assert.ThrowsAny<JsonException>(() =>
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            Read(1, ref reader);
        });
        Assert.Contains(message, exception.Message);
        Assert.Contains("IBasketGrain.Add", exception.Message);
    }

    [Fact]
    public void Reader_rejects_truncated_json()
    {
        Assert.ThrowsAny<JsonException>(() =>
        {
            var reader = new Utf8JsonReader("[1, 2"u8, isFinalBlock: true, state: default);
            Read(1, ref reader);
        });
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().Single(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static GrainRequest Read(int methodId, ref Utf8JsonReader reader)
    {
        Assert.True(GrainCodeRegistry.Instance.TryGetRequestReader(BasketGrainName, methodId, out var read));
        return read(ref reader, GrainSerializer.Options);
    }

    private static GrainRequest Capture(Func<IBasketGrain, Task> call)
    {
        var router = new FakeGrainCallRouter();
        call(router.GetReference<IBasketGrain>(new GrainId("basket", "capture"), new BasketGrain())).GetAwaiter().GetResult();
        return Assert.Single(router.Delivered);
    }
}
