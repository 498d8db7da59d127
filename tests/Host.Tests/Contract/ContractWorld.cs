using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SimHost.Host.Ecs;
using SimHost.Host.Offload;
using SimHost.Host.SharedStorage;
using SimHost.Host.Simulation;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;
using SimHost.Tests.Host.Offload;
using SimHost.Tests.Jobs.Contract;

namespace SimHost.Tests.Host.Contract;

/// <summary>
/// The contract suite's simulation: a world of two archetypes whose Position an offloaded system writes through
/// the contract job, beside systems that change Position in-process, destroy, strip and create entities, and
/// an observer that records what its Changed filter sees. <see cref="Dump"/> renders everything a mode could get
/// wrong, bit for bit, so two runs compare as text.
/// </summary>
internal sealed class ContractWorld
{
    public const int InitialEntities = 700;
    public const int Frames = 6;
    public const int HeaterPeriod = 5;

    /// <summary>The one initial entity whose Velocity.Z is not zero (never destroyed or stripped by the churn).</summary>
    public const int OddOneOut = 7;
    private const double Dt = 1.0 / 64;

    private readonly StringBuilder _observed = new();

    private ContractWorld(Entity[] initial)
    {
        Initial = initial;
    }

    public World World { get; } = new();

    /// <summary>The entities created before the first frame.</summary>
    public Entity[] Initial { get; }

    /// <summary>Whether each frame reported a failed system.</summary>
    public List<bool> FrameFailed { get; } = [];

    /// <summary>Per frame, the entities the observer's Changed&lt;Position&gt; filter saw, sorted.</summary>
    public List<Entity[]> ObservedPerFrame { get; } = [];

    public static JobCatalog LoadCatalog() => JobCatalog.Load([], [Workers.WorkerTestEnvironment.TestJobsAssemblyPath]);

    /// <summary>
    /// Runs the scenario for <see cref="Frames"/> frames on <paramref name="executor"/> (null: in-process, on
    /// <paramref name="threads"/> host threads; null: the default, one per processor).
    /// </summary>
    public static async Task<ContractWorld> RunAsync(
        ContractCase contractCase, StorageMode storage, int ticks, IRangeExecutor? executor, JobCatalog catalog, ILogger logger, bool churn = true, int? threads = null)
    {
        var world = new ContractWorld(new Entity[InitialEntities]);
        world.Seed();
        var markers = Directory.CreateTempSubdirectory("simhost-contract-");
        try
        {
            var parameters = new ContractParameters(contractCase, markers.FullName).ToBytes();
            var builder = new SimulationBuilder().WithJobs(catalog).WithStorage(storage).WithLogger(logger);
            if (executor is not null)
            {
                builder.WithExecutor(executor);
            }

            if (threads is { } threadCount)
            {
                builder.WithThreads(threadCount);
            }

            if (churn)
            {
                // Reads nothing the offloaded system writes, so it runs beside it; its commands land at the stage's end.
                builder.AddSystem("churn", s => s.Run(world.Churn));
            }

            builder
                .AddSystem("heater", s => s.Writes<Position>().Run(world.Heat))
                .AddSystem("contract", s =>
                {
                    s.Writes<Position>().Reads<Velocity>().Offload(ContractRules.JobName, parameters).Ticks(ticks);
                    if (contractCase == ContractCase.CountVisits)
                    {
                        s.Query(q => q.Changed<Position>());
                    }
                })
                .AddSystem("observer", s => s.InStage(SimHost.Host.Scheduling.StageNames.PostUpdate).Reads<Position>().Query(q => q.Changed<Position>()).Run(world.Observe));

            using var simulation = builder.Build(world.World);
            for (var frame = 0; frame < Frames; frame++)
            {
                var stats = await simulation.RunFrameAsync(Dt, frame * ticks * Dt);
                world.FrameFailed.Add(stats.HasFailures);
            }
        }
        finally
        {
            markers.Delete(recursive: true);
        }

        return world;
    }

    /// <summary>Every live entity with its component bytes, the observer's log and the frames' outcomes, as text.</summary>
    public string Dump()
    {
        var text = new StringBuilder();
        var alive = new List<Entity>();
        foreach (var chunk in World.Query().All<Position>().Chunks())
        {
            alive.AddRange(chunk.Entities);
        }

        alive.Sort((a, b) => a.Value.CompareTo(b.Value));
        foreach (var entity in alive)
        {
            var position = World.Get<Position>(entity);
            text.Append(CultureInfo.InvariantCulture, $"{entity}: P {Bits(position.X)} {Bits(position.Y)} {Bits(position.Z)}");
            if (World.Has<Velocity>(entity))
            {
                var velocity = World.Get<Velocity>(entity);
                text.Append(CultureInfo.InvariantCulture, $" V {Bits(velocity.X)} {Bits(velocity.Y)} {Bits(velocity.Z)}");
            }

            text.Append(World.Has<Marked>(entity) ? " marked" : string.Empty).AppendLine();
        }

        text.Append(_observed);
        for (var frame = 0; frame < FrameFailed.Count; frame++)
        {
            text.Append(CultureInfo.InvariantCulture, $"frame {frame} failed: {FrameFailed[frame]}").AppendLine();
        }

        return text.ToString();
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);

    private void Seed()
    {
        for (var i = 0; i < InitialEntities; i++)
        {
            var position = new Position(i, 0, 0);
            var velocity = new Velocity((i % 7) - 3, i % 9, i == OddOneOut ? 1 : 0);
            Initial[i] = i % 3 == 0 ? World.Create(position, velocity, new Marked(1)) : World.Create(position, velocity);
        }
    }

    // Odd frames: destroy some entities, strip Velocity from others, move some to the marked archetype, create three.
    private void Churn(SystemContext context)
    {
        var frame = (int)context.FrameIndex;
        if (frame % 2 == 0)
        {
            return;
        }

        foreach (var chunk in context.Query.Chunks())
        {
            foreach (var entity in chunk.Entities)
            {
                if (entity.Index % 11 == frame % 11)
                {
                    context.Commands.Destroy(entity);
                }
                else if (entity.Index % 13 == frame % 13 && chunk.Has<Velocity>())
                {
                    context.Commands.Remove<Velocity>(entity);
                }
                else if (entity.Index % 17 == frame % 17 && !chunk.Has<Marked>())
                {
                    context.Commands.Add(entity, new Marked(2));
                }
            }
        }

        for (var i = 0; i < 3; i++)
        {
            var created = context.Commands.Create();
            context.Commands.Add(created, new Position(frame * 1000 + i, 1, 0));
            context.Commands.Add(created, new Velocity(i - 1, (frame + i) % 9, 0));
        }
    }

    // Every frame, one entity in five (by index) has its Position.Y bumped in-process and marked changed.
    private void Heat(SystemContext context)
    {
        var frame = (int)context.FrameIndex;
        foreach (var chunk in context.Query.Chunks())
        {
            var positions = chunk.Span<Position>();
            var entities = chunk.Entities;
            for (var row = 0; row < positions.Length; row++)
            {
                if (entities[row].Index % HeaterPeriod == frame % HeaterPeriod)
                {
                    positions[row].Y += 1;
                    context.World.MarkChanged<Position>(entities[row]);
                }
            }
        }
    }

    private void Observe(SystemContext context)
    {
        var seen = new List<Entity>();
        foreach (var chunk in context.Query.Chunks())
        {
            seen.AddRange(chunk.Entities);
        }

        seen.Sort((a, b) => a.Value.CompareTo(b.Value));
        ObservedPerFrame.Add([.. seen]);
        _observed.Append(CultureInfo.InvariantCulture, $"frame {context.FrameIndex} observer saw: {string.Join(' ', seen)}").AppendLine();
    }
}
