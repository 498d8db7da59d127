namespace SimHost.Host.Ecs;

/// <summary>Static per-type cache so the hot paths read a component id as a static field, not a dictionary.</summary>
internal static class ComponentTypeCache<T>
    where T : unmanaged
{
    public static readonly ComponentType Type = ComponentType.Register<T>();

    public static readonly int Id = Type.Id;
}
