using System.Globalization;
using System.Reflection;
using SimHost.Layout.Jobs;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>
/// A job that behaves exactly like <c>physics.step</c>, except that the first time a worker process runs a chosen
/// frame's range it scribbles over part of the range (marking those rows changed) and then fails as the subclass
/// decides. A retry of that range, on any worker, runs the plain step.
/// </summary>
/// <remarks>
/// "The first time" is decided by a marker file per (frame, first row) in the directory named by the parameters,
/// created with <see cref="FileMode.CreateNew"/>: the create is atomic, so exactly one run of a range ever fails,
/// even when a retry races a dying worker. The job fails only inside simhost-worker: when the host runs a range
/// in-process (its fallback, or a pool with no live worker) the failure would take the host, and the test, down.
/// </remarks>
public abstract class CrashOnceJob : IJob
{
    private static readonly bool s_isWorkerProcess =
        string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, "simhost-worker", StringComparison.Ordinal);

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <summary>The share of the range scribbled over before failing, from 0 to 1.</summary>
    protected virtual double ScribbledShare => 0.5;

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = CrashOnceParameters.FromBytes(context.Parameters);
        if (s_isWorkerProcess && IsChosenFrame(context.FrameId, parameters.FailEveryNthFrame) && ClaimFirstRun(parameters.MarkerDirectory, context))
        {
            Scribble(context);
            Fail(context);
            return;
        }

        Step(context, parameters.Physics);
    }

    /// <summary>Ends this run of the job in the subclass's way; must not return normally.</summary>
    /// <param name="context">The range, already scribbled over.</param>
    protected abstract void Fail(JobContext context);

    private static bool IsChosenFrame(ulong frame, int everyNth) => everyNth > 0 && frame % (ulong)everyNth == 0;

    private static bool ClaimFirstRun(string markerDirectory, JobContext context)
    {
        var marker = Path.Combine(
            markerDirectory,
            string.Create(CultureInfo.InvariantCulture, $"{context.FrameId}-{context.RowStart}{CrashOnceJobNames.MarkerExtension}"));
        try
        {
            using var created = new FileStream(marker, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(marker))
        {
            return false;
        }
    }

    private void Scribble(JobContext context)
    {
        var positions = context.Write<Position>();
        var count = (int)(positions.Length * ScribbledShare);
        for (var i = 0; i < count; i++)
        {
            positions[i].X = CrashOnceJobNames.ScribbleValue;
        }

        context.MarkChanged<Position>(0, count);
    }

    // The body of PhysicsStepJob, with the physics constants taken from the front of this job's blob.
    private static void Step(JobContext context, in PhysicsParameters parameters)
    {
        var positionWords = context.ChangedWords<Position>();
        ParticleStep.Run(context.Write<Position>(), context.Write<Velocity>(), positionWords, (float)context.DeltaTime, parameters);
        var velocityWords = context.ChangedWords<Velocity>();
        for (var i = 0; i < positionWords.Length; i++)
        {
            velocityWords[i] |= positionWords[i];
        }
    }
}
