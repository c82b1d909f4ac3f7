namespace OpenClaw.Grains.Gateway;

/// <summary>A group of related protocol methods (health, sessions, chat, …) that registers its handlers.</summary>
internal interface IGatewayMethodGroup
{
    void Register(GatewayMethodTable table);
}
