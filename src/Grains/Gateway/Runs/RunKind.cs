namespace OpenClaw.Grains.Gateway;

/// <summary>Which method started a run; <c>chat.send</c> runs also report their preparation phases.</summary>
internal enum RunKind
{
    Chat,
    Agent,
}
