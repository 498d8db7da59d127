using System.Globalization;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs.Contract;

/// <summary>
/// The job of the contract suite: writes Position (and reads Velocity) as its <see cref="ContractCase"/> says, so the
/// same code can be run by every executor and storage mode and the worlds compared byte for byte.
/// </summary>
public sealed class ContractJob : IJob
{
    private const string JobName = ContractRules.JobName;
    private const float Scribble = ContractRules.Scribble;

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = ContractParameters.FromBytes(context.Parameters);
        switch (parameters.Case)
        {
            case ContractCase.FlagSubset or ContractCase.FlagMost or ContractCase.FlagAllButOne:
                MoveFlagged(context, parameters.Case);
                break;
            case ContractCase.FlagAll:
                MoveAll(context);
                break;
            case ContractCase.FlagUnchanged:
                FlagUnchanged(context);
                break;
            case ContractCase.WriteReadOnly:
                context.Write<Velocity>().Fill(new Velocity(Scribble, Scribble, Scribble));
                break;
            case ContractCase.FailOnce:
                if (context.FrameId == 1 && context.TickIndex == 0 && ClaimFirstRun(parameters.MarkerDirectory, context))
                {
                    context.Write<Position>().Fill(new Position(Scribble, Scribble, Scribble));
                    context.MarkChanged<Position>(0, context.RowCount);
                    throw new InvalidOperationException($"{JobName} fails range {context.RowStart}+{context.RowCount} of frame 1 once, on purpose");
                }

                MoveAll(context);
                break;
            case ContractCase.CountVisits:
                CountVisits(context);
                break;
            default:
                throw new InvalidOperationException($"Unknown contract case {parameters.Case}.");
        }
    }

    private static void MoveFlagged(JobContext context, ContractCase contractCase)
    {
        var written = context.Write<Position>();
        var current = context.Read<Position>();
        var velocity = context.Read<Velocity>();
        var dt = (float)context.DeltaTime;
        for (var row = 0; row < written.Length; row++)
        {
            if (ContractRules.Flags(contractCase, velocity[row]))
            {
                written[row] = new Position(current[row].X + (velocity[row].X * dt), current[row].Y, current[row].Z);
                context.MarkChanged<Position>(row);
            }
            else
            {
                written[row] = new Position(Scribble, Scribble, Scribble);
            }
        }
    }

    private static void MoveAll(JobContext context)
    {
        var written = context.Write<Position>();
        var current = context.Read<Position>();
        var velocity = context.Read<Velocity>();
        var dt = (float)context.DeltaTime;
        for (var row = 0; row < written.Length; row++)
        {
            written[row] = new Position(current[row].X + (velocity[row].X * dt), current[row].Y + (velocity[row].Y * dt), current[row].Z);
        }

        context.MarkChanged<Position>(0, context.RowCount);
    }

    private static void FlagUnchanged(JobContext context)
    {
        var written = context.Write<Position>();
        var current = context.Read<Position>();
        var velocity = context.Read<Velocity>();
        for (var row = 0; row < written.Length; row++)
        {
            if (!ContractRules.IsInSubset(velocity[row]))
            {
                written[row] = new Position(current[row].X + 1, current[row].Y, current[row].Z);
            }

            // Subset rows are flagged as they are: their value is unchanged, but a flag means "commit and stamp".
            context.MarkChanged<Position>(row);
        }
    }

    private static void CountVisits(JobContext context)
    {
        var written = context.Write<Position>();
        var current = context.Read<Position>();
        for (var row = 0; row < written.Length; row++)
        {
            written[row] = new Position(current[row].X, current[row].Y, current[row].Z + 1);
        }

        context.MarkChanged<Position>(0, context.RowCount);
    }

    // An atomic create claims the first run of a range, in whichever process runs it, so exactly one run fails.
    private static bool ClaimFirstRun(string directory, JobContext context)
    {
        var first = context.RowCount > 0 ? context.Entities[0].Value : 0;
        var marker = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"frame{context.FrameId}-row{context.RowStart}-entity{first}"));
        try
        {
            using var stream = new FileStream(marker, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
