namespace OpenClaw.EdgeGateway.Connections;

/// <summary>Why a request was not admitted.</summary>
internal enum RequestAdmission
{
    Admitted,
    TooManyRequests,
    TooManyBytes,
}

/// <summary>
/// One socket's share of its tenant's load (<see cref="TenantLoadRegistry"/>). Disposing it (when
/// the socket ends) gives back everything the socket still held, so nothing per-socket outlives
/// the socket, even while abandoned grain calls are still finishing.
/// </summary>
internal sealed class TenantLease : IDisposable
{
    private readonly TenantLoadRegistry _registry;
    private readonly string _tenantId;
    private readonly TenantLoad _load;
    private readonly EdgeGatewayOptions _options;
    private int _requests;
    private long _requestBytes;
    private long _outboundBytes;
    private bool _outboundReleased;
    private bool _disposed;
    private Action? _closeAsSlowConsumer;

    internal TenantLease(TenantLoadRegistry registry, string tenantId, TenantLoad load, EdgeGatewayOptions options)
    {
        _registry = registry;
        _tenantId = tenantId;
        _load = load;
        _options = options;
    }

    public string TenantId => _tenantId;

    /// <summary>How the tenant's slowest socket is closed when its outgoing bytes must go.</summary>
    public void OnCloseAsSlowConsumer(Action close) => _closeAsSlowConsumer = close;

    /// <summary>
    /// Admits a request of <paramref name="frameBytes"/> unless the tenant is at its request cap or
    /// its bytes would pass half the byte cap (the other half stays free for the responses).
    /// </summary>
    public RequestAdmission TryStartRequest(int frameBytes)
    {
        lock (_load)
        {
            if (_disposed) return RequestAdmission.TooManyRequests;
            if (_load.Requests >= _options.MaxRequestsInFlightPerTenant) return RequestAdmission.TooManyRequests;
            if (_load.Bytes + frameBytes > _options.MaxBytesInFlightPerTenant / 2) return RequestAdmission.TooManyBytes;
            _load.Requests++;
            _load.Bytes += frameBytes;
            _requests++;
            _requestBytes += frameBytes;
            return RequestAdmission.Admitted;
        }
    }

    /// <summary>The request's frame is no longer held (its grain call has answered).</summary>
    public void ReleaseRequestBytes(int frameBytes)
    {
        lock (_load)
        {
            if (_disposed) return;
            _load.Bytes -= frameBytes;
            _requestBytes -= frameBytes;
        }
    }

    /// <summary>The request has had its last response.</summary>
    public void EndRequest()
    {
        lock (_load)
        {
            if (_disposed) return;
            _load.Requests--;
            _requests--;
        }
    }

    /// <summary>
    /// Counts <paramref name="bytes"/> queued on this socket. Over the tenant's byte cap, the
    /// tenant's socket with the most queued bytes is closed as a slow consumer; false means that
    /// this socket must close (it is the slowest, or the frame still does not fit).
    /// </summary>
    public bool TryAddOutbound(long bytes)
    {
        TenantLease? victim = null;
        bool fits;
        lock (_load)
        {
            if (_outboundReleased || _disposed) return false;
            if (_load.Bytes + bytes > _options.MaxBytesInFlightPerTenant)
            {
                victim = _load.Leases.Where(l => !l._outboundReleased).MaxBy(l => l._outboundBytes);
                if (victim is null || ReferenceEquals(victim, this) || victim._outboundBytes < _outboundBytes + bytes)
                {
                    ReleaseOutboundLocked();
                    return false;
                }
                victim.ReleaseOutboundLocked();
            }
            fits = _load.Bytes + bytes <= _options.MaxBytesInFlightPerTenant;
            if (fits)
            {
                _load.Bytes += bytes;
                _outboundBytes += bytes;
            }
            else
            {
                ReleaseOutboundLocked();
            }
        }
        victim?._closeAsSlowConsumer?.Invoke();
        return fits;
    }

    public void RemoveOutbound(long bytes)
    {
        lock (_load)
        {
            if (_outboundReleased || _disposed) return;
            _load.Bytes -= bytes;
            _outboundBytes -= bytes;
        }
    }

    /// <summary>The socket's queue is being dropped: its queued bytes no longer count.</summary>
    public void ReleaseOutbound()
    {
        lock (_load) ReleaseOutboundLocked();
    }

    private void ReleaseOutboundLocked()
    {
        if (_outboundReleased || _disposed) return;
        _outboundReleased = true;
        _load.Bytes -= _outboundBytes;
        _outboundBytes = 0;
    }

    public void Dispose()
    {
        lock (_load)
        {
            if (_disposed) return;
            ReleaseOutboundLocked();
            _load.Requests -= _requests;
            _load.Bytes -= _requestBytes;
            _requests = 0;
            _requestBytes = 0;
            _disposed = true;
            _load.Leases.Remove(this);
            if (_load.Leases.Count == 0)
            {
                _load.Removed = true;
                _registry.Forget(_tenantId, _load);
            }
        }
    }
}
