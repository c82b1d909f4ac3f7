using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Connections;
using OpenClaw.EdgeGateway.Diagnostics;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// When the host starts stopping, every socket gets the <c>shutdown</c> event
/// <c>{reason:"service restart", restartExpectedMs}</c>, the answers to the requests it already sent
/// (for at most <see cref="EdgeGatewayOptions.ShutdownDrainMs"/>) and a 1012 close, so clients
/// reconnect (to another edge behind the balancer) without losing a request. Stopping waits, bounded
/// by the host's shutdown timeout, for the sockets to finish their close handshake.
/// </summary>
internal sealed class EdgeGatewayShutdownService(
    ConnectionRegistry registry,
    IHostApplicationLifetime lifetime,
    IOptions<EdgeGatewayOptions> options,
    TimeProvider time,
    ILogger<EdgeGatewayShutdownService> logger) : IHostedService
{
    private CancellationTokenRegistration _stopping;
    private int _announced;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(Announce);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Announce();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromMilliseconds(options.Value.ShutdownDrainMs + options.Value.CloseTimeoutMs * 2));
        await registry.WaitUntilEmptyAsync(time, bound.Token).ConfigureAwait(false);
        await _stopping.DisposeAsync().ConfigureAwait(false);
    }

    private void Announce()
    {
        if (Interlocked.Exchange(ref _announced, 1) == 1) return;
        var count = registry.ShutdownAll();
        EdgeGatewayLog.ShuttingDown(logger, count);
    }
}
