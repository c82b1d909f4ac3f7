namespace OpenClaw.Runtime;

/// <summary>
/// Grains of this class are addressed to one silo, like Orleans' system targets: the grain key is
/// a silo address (<c>host:port@generation</c>, see <see cref="SiloBoundKeys"/>) or
/// <see cref="SiloBoundKeys.Local"/>, and the activation lives on exactly that silo. Placement
/// never chooses another silo, the grain directory does not record it (nothing can move it), and
/// a call to a silo that is not serving fails with <see cref="SiloUnavailableException"/> instead
/// of activating it elsewhere. Each silo has its own activation: use it for per-silo work
/// (figures, local collection), never for state that must be unique in the cluster.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SiloBoundAttribute : Attribute;
