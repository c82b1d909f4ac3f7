namespace OpenClaw.Runtime;

/// <summary>
/// A fixed set of async mutexes; a key always maps to the same one. Two keys may share a stripe,
/// which only costs a little waiting, never correctness.
/// </summary>
internal sealed class StripedAsyncLock
{
    private readonly SemaphoreSlim[] _stripes;

    public StripedAsyncLock(int stripeCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripeCount, 1);
        _stripes = new SemaphoreSlim[stripeCount];
        for (var i = 0; i < stripeCount; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async ValueTask<Releaser> AcquireAsync(uint keyHash, CancellationToken cancellationToken)
    {
        var stripe = _stripes[keyHash % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
