namespace SimHost.Host.Ecs;

/// <summary>
/// The world's pluggable column placement (see <see cref="World.UseColumnAllocator"/>): given each archetype once,
/// it may move some of its columns out of managed arrays, e.g. into shared segments workers map.
/// </summary>
internal interface IColumnAllocator
{
    /// <summary>Called once per archetype, right after it is created (or when the allocator is installed).</summary>
    void Adopt(Archetype archetype);
}
