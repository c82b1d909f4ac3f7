using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor.Handlers;

/// <summary>Writes each raised alert (event 3410) and each resolved one (event 3411) to the log.</summary>
internal sealed class LogAlertHandler(ILogger<LogAlertHandler> logger) : IAlertHandler
{
    public void Publish(AlertTransition transition)
    {
        var alert = transition.Alert;
        if (transition.Kind == AlertTransitionKind.Raised)
        {
            MonitorLog.AlertRaised(logger, Level(alert.Severity), alert.Severity, alert.Rule, alert.Subject, alert.Id, alert.Message);
        }
        else
        {
            MonitorLog.AlertResolved(logger, alert.Rule, alert.Subject, alert.Id, transition.CurrentMessage);
        }
    }

    private static LogLevel Level(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => LogLevel.Error,
        AlertSeverity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };
}
