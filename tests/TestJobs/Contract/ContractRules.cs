using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs.Contract;

/// <summary>What the contract job and the tests that check it agree on.</summary>
public static class ContractRules
{
    /// <summary>The contract job's name.</summary>
    public const string JobName = "test.contract";

    /// <summary>What an unflagged or refused write puts in a row; it must never reach the world.</summary>
    public const float Scribble = -12345f;

    /// <summary>
    /// Whether the subset cases flag a row of this velocity: decided by the row's own values, never its index, so
    /// snapshot storage (matched rows packed together) and shared storage (rows in place) flag the same entities.
    /// </summary>
    public static bool IsInSubset(in Velocity velocity) => ((int)velocity.Y & 3) == 0;

    /// <summary>Whether <see cref="ContractCase.FlagMost"/> flags a row of this velocity: about seven rows in nine.</summary>
    public static bool IsInMost(in Velocity velocity) => ((int)velocity.Y & 3) != 1;

    /// <summary>Whether <see cref="ContractCase.FlagAllButOne"/> flags a row of this velocity: all but the one odd entity.</summary>
    public static bool IsAllButOne(in Velocity velocity) => velocity.Z == 0;

    /// <summary>Whether the case flags a row of this velocity, for the cases that flag by a rule.</summary>
    public static bool Flags(ContractCase contractCase, in Velocity velocity) => contractCase switch
    {
        ContractCase.FlagSubset => IsInSubset(velocity),
        ContractCase.FlagMost => IsInMost(velocity),
        ContractCase.FlagAllButOne => IsAllButOne(velocity),
        _ => throw new ArgumentOutOfRangeException(nameof(contractCase), contractCase, "The case does not flag by a rule."),
    };
}
