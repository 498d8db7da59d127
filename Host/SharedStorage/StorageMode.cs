namespace SimHost.Host.SharedStorage;

/// <summary>Where the world keeps the columns of components offloaded systems use (<c>--storage</c>).</summary>
public enum StorageMode
{
    /// <summary>Managed arrays; every offloaded frame copies its rows into per-system segments and commits them back.</summary>
    Snapshot,

    /// <summary>
    /// The columns live in shared segments, one per archetype, double-buffered: workers read the world's own memory
    /// and write scratch columns the host makes current when their range completes. See <c>docs/storage.md</c>.
    /// </summary>
    Shared,
}
