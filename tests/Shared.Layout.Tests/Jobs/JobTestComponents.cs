namespace SimHost.Tests.SharedLayout.Jobs;

public struct Heat
{
    public float Value;
}

public struct Mass
{
    public double Kilograms;
}

/// <summary>Doubles every row's heat, adds the mass, and flags only rows whose heat was not zero.</summary>
public sealed class DoubleHeatJob : SimHost.Layout.Jobs.IJob
{
    public string Name => "test.double-heat";

    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Heat), typeof(Mass)];

    public void Execute(SimHost.Layout.Jobs.JobContext context)
    {
        var heat = context.Write<Heat>();
        var mass = context.Read<Mass>();
        for (var row = 0; row < context.RowCount; row++)
        {
            if (heat[row].Value != 0f)
            {
                heat[row].Value = (heat[row].Value * 2f) + (float)mass[row].Kilograms;
                context.MarkChanged<Heat>(row);
            }
        }
    }
}
