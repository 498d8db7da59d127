namespace SimHost.Host.Ecs;

/// <summary>A per-entity callback that receives one component by reference.</summary>
public delegate void RefAction<T1>(ref T1 c1);

/// <summary>A per-entity callback that receives two components by reference.</summary>
public delegate void RefAction<T1, T2>(ref T1 c1, ref T2 c2);

/// <summary>A per-entity callback that receives three components by reference.</summary>
public delegate void RefAction<T1, T2, T3>(ref T1 c1, ref T2 c2, ref T3 c3);
