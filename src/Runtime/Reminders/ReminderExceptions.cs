namespace OpenClaw.Runtime;

/// <summary>The grain already has as many reminders as <see cref="ReminderOptions.MaxRemindersPerGrain"/> allows.</summary>
public sealed class ReminderLimitException(string message) : InvalidOperationException(message);

/// <summary>The reminder table could not be used (unreachable, corrupt); the registration did not happen.</summary>
public sealed class ReminderTableException(string message, Exception? inner = null) : Exception(message, inner);
