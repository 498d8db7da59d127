namespace SimHost.Host.Persistence;

/// <summary>Which rule of the checkpoint format a checkpoint broke (see docs/checkpoints.md).</summary>
public enum CheckpointError
{
    /// <summary>A file or directory cannot be read or written.</summary>
    Unreadable,

    /// <summary>The directory holds no <c>manifest</c>, or the stream does not start with one.</summary>
    MissingManifest,

    /// <summary>The manifest's last line (its own XxHash128) does not match the bytes above it.</summary>
    ManifestHashMismatch,

    /// <summary>The manifest is not the JSON the format describes (a field missing, of the wrong type or out of range).</summary>
    BadManifest,

    /// <summary>The checkpoint format version is not one this build reads.</summary>
    UnsupportedVersion,

    /// <summary>A file the manifest lists is missing.</summary>
    MissingFile,

    /// <summary>A file's length differs from the length the manifest lists.</summary>
    LengthMismatch,

    /// <summary>A file's XxHash128 differs from the hash the manifest lists.</summary>
    HashMismatch,

    /// <summary>A segment file breaks a rule of the segment format, or does not match what the manifest says it holds.</summary>
    BadSegment,

    /// <summary>The entity table, archetypes and free list do not describe one consistent world.</summary>
    InconsistentWorld,

    /// <summary>A component of the checkpoint is not a type this process knows.</summary>
    UnknownComponent,

    /// <summary>A component's field layout differs from the one the checkpoint was written with.</summary>
    LayoutMismatch,

    /// <summary>The world to load into already has entities or archetypes.</summary>
    WorldNotEmpty,

    /// <summary>A file or directory cannot be written (saving a checkpoint).</summary>
    Unwritable,

    /// <summary>
    /// The checkpoint holds no simulation state (a world saved alone), or the state of other systems than those of the
    /// simulation resuming it.
    /// </summary>
    OtherSimulation,
}
