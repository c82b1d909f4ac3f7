namespace OpenClaw.Runtime;

/// <summary>Anything that can be the target of a call through a reference: grains and observers.</summary>
public interface IAddressable;

/// <summary>Marker for grain interfaces. Grain interfaces are the only way to call a grain.</summary>
public interface IGrain : IAddressable;

/// <summary>A grain identified by a string key (a tenant id, for example).</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>
/// An object held by a client (or another grain) that grains call back. Observer methods are
/// best effort: they return <c>void</c> (one-way) or <see cref="Task"/>.
/// </summary>
public interface IGrainObserver : IAddressable;
