namespace SimHost.Host.Ecs;

/// <summary>A struct callback over one component; the JIT specialises and inlines it per struct type.</summary>
public interface IForEach<T1>
{
    /// <summary>Runs for one entity.</summary>
    void Execute(ref T1 c1);
}

/// <summary>A struct callback over two components; the JIT specialises and inlines it per struct type.</summary>
public interface IForEach<T1, T2>
{
    /// <summary>Runs for one entity.</summary>
    void Execute(ref T1 c1, ref T2 c2);
}

/// <summary>A struct callback over three components; the JIT specialises and inlines it per struct type.</summary>
public interface IForEach<T1, T2, T3>
{
    /// <summary>Runs for one entity.</summary>
    void Execute(ref T1 c1, ref T2 c2, ref T3 c3);
}
