namespace SimHost.Host.Ecs;

/// <summary>A per-entity callback that receives the entity and one component by reference.</summary>
public delegate void RefEntityAction<T1>(Entity entity, ref T1 c1);

/// <summary>A per-entity callback that receives the entity and two components by reference.</summary>
public delegate void RefEntityAction<T1, T2>(Entity entity, ref T1 c1, ref T2 c2);
