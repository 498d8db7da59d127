namespace SimHost.Tests.Jobs.Contract;

/// <summary>What the contract job does to its rows: one case of the commit contract each.</summary>
public enum ContractCase
{
    /// <summary>Moves every row but flags only some; the others are scribbled over and must keep the world's value.</summary>
    FlagSubset,

    /// <summary>Moves every row and flags every row.</summary>
    FlagAll,

    /// <summary>As <see cref="FlagSubset"/>, but flags most rows (about seven in nine), scribbling over the rest.</summary>
    FlagMost,

    /// <summary>As <see cref="FlagSubset"/>, but flags every row but one (the entity whose Velocity.Z is not zero).</summary>
    FlagAllButOne,

    /// <summary>Flags some rows without changing them and moves and flags the others.</summary>
    FlagUnchanged,

    /// <summary>Writes Velocity, which its system only reads: refused in every mode.</summary>
    WriteReadOnly,

    /// <summary>The first run of every range of frame 1 scribbles over its rows, flags them and throws; a retry moves them.</summary>
    FailOnce,

    /// <summary>Adds one to Position.Z of every row it is given and flags it: a system filtered on its own changes.</summary>
    CountVisits,
}
