using System.Collections.Concurrent;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.ControlPlane.Monitor.Handlers;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>A handler that keeps every transition it is given.</summary>
internal sealed class RecordingAlertHandler : IAlertHandler
{
    private readonly ConcurrentQueue<AlertTransition> _transitions = new();

    public IReadOnlyList<AlertTransition> Transitions => _transitions.ToList();

    public void Publish(AlertTransition transition) => _transitions.Enqueue(transition);
}
