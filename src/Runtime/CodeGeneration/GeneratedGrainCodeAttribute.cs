namespace OpenClaw.Runtime;

/// <summary>
/// Emitted by the source generator on every assembly that declares grain interfaces or
/// serializer contexts; names the registrar that adds them to <see cref="GrainCodeRegistry"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class GeneratedGrainCodeAttribute(Type registrarType) : Attribute
{
    public Type RegistrarType { get; } = registrarType;
}

/// <summary>Implemented by generated code: registers an assembly's references, requests and serializer contexts.</summary>
public interface IGrainCodeRegistrar
{
    void Register(GrainCodeRegistry registry);
}
