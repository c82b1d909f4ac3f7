namespace OpenClaw.Runtime.Tests.CodeGeneration;

/// <summary>The generated references and requests, exercised through <see cref="FakeGrainCallRouter"/>.</summary>
public sealed class GeneratedReferenceTests
{
    private static readonly GrainId BasketId = new("basket", "tenant-1");
    private static readonly GrainId ObserverId = new(GrainId.ObserverType, "connection-1");

    private readonly FakeGrainCallRouter _router = new();
    private readonly BasketGrain _grain = new();
    private readonly IBasketGrain _reference;

    public GeneratedReferenceTests() => _reference = _router.GetReference<IBasketGrain>(BasketId, _grain);

    [Fact]
    public void Reference_implements_the_interface_and_is_an_addressable_grain_reference()
    {
        var reference = Assert.IsAssignableFrom<GrainReference>(_reference);
        Assert.IsAssignableFrom<ICountingGrain>(_reference);
        Assert.Equal(BasketId, reference.GrainId);
        Assert.Equal(typeof(IBasketGrain).FullName, reference.InterfaceName);
        Assert.Equal<object>(reference, _router.GetReference<IBasketGrain>(BasketId, _grain));
        Assert.Equal("OpenClaw.Runtime.Generated", reference.GetType().Namespace);
    }

    [Fact]
    public async Task Calls_return_the_callee_results_including_inherited_methods_and_overloads()
    {
        Assert.Equal(2, await _reference.Add(2));
        Assert.Equal(5, await _reference.Add(3));
        Assert.Equal(5, await _reference.GetTotal());
        Assert.Equal(7, await _reference.Add(3, 4));
        await _reference.Reset();
        Assert.Equal(0, _grain.Total);
        Assert.Null(await _reference.Echo(null));
        Assert.Equal("hello", await _reference.Echo("hello"));
    }

    [Fact]
    public async Task Mutable_arguments_are_copied_so_the_callee_never_shares_the_callers_object()
    {
        var basket = new Basket { Owner = "ada", Items = [new BasketItem("apple", 1)] };
        var extra = new BasketItem("pear", 2);

        var returned = await _reference.Store(basket, extra);

        Assert.NotNull(_grain.LastBasket);
        Assert.NotSame(basket, _grain.LastBasket);
        Assert.Equal("ada", _grain.LastBasket!.Owner);
        Assert.Equal([new BasketItem("apple", 1), extra], _grain.LastBasket.Items);
        Assert.Equal([new BasketItem("apple", 1)], basket.Items); // the callee's mutation did not reach the caller
        Assert.Same(_grain.LastBasket, returned); // results are the router's business, not the reference's
    }

    [Fact]
    public async Task Void_observer_methods_are_one_way_and_task_observer_methods_are_awaited()
    {
        var observer = new BasketObserver();
        var reference = _router.GetReference<IBasketObserver>(ObserverId, observer);

        reference.OnItemAdded(new BasketItem("fig", 3));
        await reference.Flush();

        var oneWay = Assert.Single(_router.OneWayRequests);
        Assert.Equal(nameof(IBasketObserver.OnItemAdded), oneWay.MethodName);
        Assert.Equal(InvokeFlags.OneWay, oneWay.Flags);
        Assert.IsAssignableFrom<VoidGrainRequest>(oneWay);
        Assert.Equal([new BasketItem("fig", 3)], observer.Items);
        Assert.Equal(1, observer.Flushes);
        Assert.Equal(InvokeFlags.None, _router.Delivered[^1].Flags);
    }

    [Fact]
    public void OneWay_grain_methods_return_immediately_through_InvokeOneWay()
    {
        var task = _reference.Ping("ping");
        _reference.Fire(42);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(2, _router.OneWayRequests.Count);
        Assert.All(_router.OneWayRequests, r => Assert.True(r.Flags.HasFlag(InvokeFlags.OneWay)));
        Assert.Equal(["ping"], _grain.Pings);
        Assert.Equal([42], _grain.Fired);
    }

    [Fact]
    public async Task AlwaysInterleave_methods_carry_the_flag_and_others_do_not()
    {
        await _reference.Echo("x");
        await _reference.Add(1);

        Assert.Equal(InvokeFlags.AlwaysInterleave, _router.Delivered[0].Flags);
        Assert.Equal(InvokeFlags.None, _router.Delivered[1].Flags);
    }

    [Fact]
    public async Task MethodIds_follow_declaration_order_with_base_methods_last_and_are_stable()
    {
        await _reference.Add(1);
        await _reference.Add(1, 2);
        await _reference.Store(new Basket(), new BasketItem("a", 1));
        await _reference.Reset();
        await _reference.Echo("e");
        await _reference.Ping("p");
        _reference.Fire(1);
        await _reference.GetTotal();
        await _reference.Add(5);

        var ids = _router.Delivered.Select(r => (r.MethodName, r.MethodId)).ToList();
        Assert.Equal(
            [("Add", 0), ("Add", 1), ("Store", 2), ("Reset", 3), ("Echo", 4), ("Ping", 5), ("Fire", 6), ("GetTotal", 7), ("Add", 0)],
            ids);
        Assert.All(_router.Delivered, r => Assert.Equal(typeof(IBasketGrain).FullName, r.InterfaceName));
    }

    [Fact]
    public void Registry_knows_the_generated_code_after_EnsureAssembly()
    {
        GrainCodeRegistry.Instance.EnsureAssembly(typeof(IBasketGrain).Assembly);

        Assert.True(GrainCodeRegistry.Instance.TryGetInterface(typeof(IBasketObserver).FullName!, out var observerInterface));
        Assert.Equal(typeof(IBasketObserver), observerInterface);
        var factory = GrainCodeRegistry.Instance.GetReferenceFactory(typeof(IBasketObserver));
        var reference = factory(ObserverId, _router);
        Assert.IsAssignableFrom<IBasketObserver>(reference);
        Assert.Equal(ObserverId, reference.GrainId);
        for (var methodId = 0; methodId < 8; methodId++)
            Assert.True(GrainCodeRegistry.Instance.TryGetRequestReader(typeof(IBasketGrain).FullName!, methodId, out _));
        Assert.False(GrainCodeRegistry.Instance.TryGetRequestReader(typeof(IBasketGrain).FullName!, 8, out _));
    }
}
