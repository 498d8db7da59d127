using SimHost.Host.Ecs;
using SimHost.Physics.Components;

namespace SimHost.Benchmarks.Ecs;

/// <summary><c>Position += Velocity * dt</c> as a struct callback, the query's fast per-entity form.</summary>
internal readonly struct IntegrateCallback : IForEach<Position, Velocity>
{
    private readonly float _dt;

    public IntegrateCallback(float dt)
    {
        _dt = dt;
    }

    public void Execute(ref Position c1, ref Velocity c2)
    {
        c1.X += c2.X * _dt;
        c1.Y += c2.Y * _dt;
        c1.Z += c2.Z * _dt;
    }
}
