namespace OpenClaw.Grains.ControlPlane.Monitor.Handlers;

/// <summary>
/// Gets every alert the monitor raises or resolves. Register more with
/// <c>services.AddSingleton&lt;IAlertHandler, MyHandler&gt;()</c>. <see cref="Publish"/> runs on the
/// monitor's turn, so it must return at once: anything slow (a network call) goes to a queue of its
/// own, as <see cref="Webhooks.AlertWebhookDispatcher"/> does. An exception is logged and ignored.
/// </summary>
public interface IAlertHandler
{
    void Publish(AlertTransition transition);
}
