namespace SimHost.Host.Ecs;

/// <summary>A struct callback over the entity and one component.</summary>
public interface IForEachEntity<T1>
{
    /// <summary>Runs for one entity.</summary>
    void Execute(Entity entity, ref T1 c1);
}

/// <summary>A struct callback over the entity and two components.</summary>
public interface IForEachEntity<T1, T2>
{
    /// <summary>Runs for one entity.</summary>
    void Execute(Entity entity, ref T1 c1, ref T2 c2);
}
