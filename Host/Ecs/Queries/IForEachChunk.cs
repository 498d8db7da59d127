namespace SimHost.Host.Ecs;

/// <summary>
/// A struct callback over a run of rows, for <see cref="Query.ParallelForEachChunk{TCallback}"/>: it gets spans of the
/// chunk's columns (<see cref="Chunk.Span{T}"/>) and steps them, typically with SIMD.
/// </summary>
public interface IForEachChunk
{
    /// <summary>Runs for one chunk; chunks given to different threads never share a row.</summary>
    void Execute(Chunk chunk);
}
