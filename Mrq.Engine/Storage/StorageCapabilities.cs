namespace Mrq.Storage;

/// <summary>What a storage supplies, declared by the backend.</summary>
/// <param name="Name">Human-readable backend name (for errors and reports).</param>
/// <param name="Durable">Acknowledged writes survive a process crash.</param>
/// <param name="SharedAcrossProcesses">Several processes may use the same storage at once.</param>
public sealed record StorageCapabilities(string Name, bool Durable, bool SharedAcrossProcesses);
