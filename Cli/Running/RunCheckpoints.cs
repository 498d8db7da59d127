using System.Globalization;
using SimHost.Host.Cli;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;
using SimHost.Layout.Segments;

namespace SimHost.Host.Running;

/// <summary>
/// The checkpoint side of <c>simhost run</c>: the run's identity a checkpoint records (module, seed, entities,
/// parameters, dt, ticks per frame: whatever changes the answer; not workers or storage, which never do), reading the
/// newest checkpoint for <c>--resume</c> and refusing one that differs, and the background writer for
/// <c>--checkpoint-every</c>.
/// </summary>
internal static class RunCheckpoints
{
    private const string ParamPrefix = "param ";

    // A number parameter recorded by an earlier build as its float-widened default (-9.8100004196167) is the number as
    // written (-9.81) that this build records (ModuleParameter.Number): the same value to the module.
    private static bool IsSameNumber(string name, string? stored, string value) =>
        name.StartsWith(ParamPrefix, StringComparison.Ordinal)
        && double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var before)
        && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var now)
        && ModuleParameter.AsWritten(before) == ModuleParameter.AsWritten(now);

    /// <summary>The name/value pairs a resumed run must match, in the order a refusal names them.</summary>
    public static IReadOnlyDictionary<string, string> Identity(SimulationModule module, ModuleContext context, RunSettings settings)
    {
        var identity = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["module"] = module.Name,
            ["module-type"] = module.GetType().FullName ?? module.Name,
            ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["entities"] = context.Entities.ToString(CultureInfo.InvariantCulture),
            ["dt"] = settings.DtSeconds.ToString("R", CultureInfo.InvariantCulture),
            ["ticks-per-frame"] = settings.TicksPerFrame.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in context.Parameters.Values.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            identity[ParamPrefix + name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return identity;
    }

    /// <summary>
    /// Finds the newest complete checkpoint of <paramref name="directory"/> and checks, from its manifest, that it was
    /// written by this run's module, flags and format: a difference is a usage error (exit 2) naming it. Its files are
    /// read and verified once, by the load (<see cref="BuildResumed"/>); a damaged checkpoint fails the run there.
    /// </summary>
    public static ResumePoint ReadForResume(string directory, IReadOnlyDictionary<string, string> identity, long frames)
    {
        if (CheckpointStore.Newest(directory) is not { } newest)
        {
            // One checkpoint's own folder: the run resumes from the newest in a --checkpoint-dir, and keeps writing there.
            throw File.Exists(Path.Combine(directory, CheckpointFileNames.Manifest))
                ? new UsageException($"--resume '{directory}' is one checkpoint, not a --checkpoint-dir; give the folder that holds it ('{Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar))}').")
                : new UsageException($"--resume '{directory}' holds no complete checkpoint (checkpoint-NNNNNNNNNNNN with a manifest); give the --checkpoint-dir of a run that wrote one.");
        }

        CheckpointManifest manifest;
        try
        {
            manifest = CheckpointFiles.ReadManifest(newest);
        }
        catch (CheckpointException exception) when (exception.Error == CheckpointError.UnsupportedVersion)
        {
            throw new UsageException($"--resume: {exception.Message}; it was written by another version of simhost.", exception);
        }
        catch (CheckpointException exception) when (IsDamage(exception.Error))
        {
            throw Damaged(newest, exception);
        }

        if (manifest.Simulation is not { } simulation)
        {
            throw new UsageException($"--resume: {newest} is a world checkpoint without a simulation's state (saved by WorldCheckpoint.Save); simhost run resumes only its own checkpoints.");
        }

        foreach (var (name, value) in identity)
        {
            var stored = manifest.Run.GetValueOrDefault(name);
            if (!string.Equals(stored, value, StringComparison.Ordinal) && !IsSameNumber(name, stored, value))
            {
                throw new UsageException($"--resume: the checkpoint in {newest} was written with {name} {stored ?? "(unset)"}, this run has {name} {value}; run with the same module and flags, or without --resume.");
            }
        }

        // A parameter the module no longer has may have changed what the module computes from its other settings.
        foreach (var (name, stored) in manifest.Run)
        {
            if (name.StartsWith(ParamPrefix, StringComparison.Ordinal) && !identity.ContainsKey(name))
            {
                throw new UsageException($"--resume: the checkpoint in {newest} was written with {name} {stored}, which this module no longer has; resume with the module that wrote it, or run without --resume.");
            }
        }

        // The frame count is checked against --frames below, so it is first checked against the files: the entity table's
        // header names the frame it was written at (the load checks every file; a manifest made to say another frame
        // must be reported as the damage it is, not as a --frames to raise).
        if (EntityTableFrame(newest) is { } written && written != CheckpointSegment.FrameOf(manifest))
        {
            throw Damaged(newest, new CheckpointException(
                CheckpointError.BadSegment, CheckpointFileNames.EntityTable, $"is of frame {written}, the manifest says frame {simulation.FrameCount}"));
        }

        // A run to frame N from a checkpoint past N would run nothing and print an older run's checksum as its own.
        if (frames != 0 && simulation.FrameCount > frames)
        {
            throw new UsageException($"--resume: the newest checkpoint in '{directory}' is of frame {simulation.FrameCount}, past --frames {frames}; give --frames {simulation.FrameCount} or more (0 for no end).");
        }

        return new ResumePoint(newest, simulation);
    }

    /// <summary>
    /// Loads the checkpoint's world: every file read once, straight into the world's columns, and verified on the way
    /// (<see cref="WorldCheckpoint.Load(string, Ecs.World)"/>). A component missing or laid out differently in this
    /// build is a usage error; a damaged file fails the run (<see cref="DamagedCheckpointException"/>).
    /// </summary>
    public static void LoadWorld(Ecs.World world, string checkpoint)
    {
        try
        {
            WorldCheckpoint.Load(checkpoint, world);
        }
        catch (CheckpointException exception) when (exception.Error is CheckpointError.UnknownComponent or CheckpointError.LayoutMismatch)
        {
            throw new UsageException($"--resume: {exception.Message}; the module was changed since the checkpoint was written.", exception);
        }
        catch (CheckpointException exception) when (IsDamage(exception.Error))
        {
            throw Damaged(checkpoint, exception);
        }
    }

    /// <summary>
    /// The frame in the entity table's segment header, or null when the header cannot be read or breaks a rule (the load
    /// then reports that file by its rule). The length is looked at first: a FIFO or device (length 0) is never opened.
    /// </summary>
    private static ulong? EntityTableFrame(string checkpoint)
    {
        var path = Path.Combine(checkpoint, CheckpointFileNames.EntityTable);
        try
        {
            var length = new FileInfo(path).Length;
            if (length < SegmentFormat.HeaderSizeBytes)
            {
                return null;
            }

            using var handle = File.OpenHandle(path);
            var head = new byte[SegmentFormat.HeaderSizeBytes];
            return RandomAccess.Read(handle, head, 0) == head.Length
                ? SegmentValidator.ValidateHeader(CheckpointFileNames.EntityTable, length, head).FrameId
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or SegmentFormatException)
        {
            return null;
        }
    }

    // The errors of a checkpoint whose bytes are wrong; any other (unreadable, a world that is not empty) is not the
    // checkpoint's fault and fails the run as it is.
    private static bool IsDamage(CheckpointError error) => error is CheckpointError.ManifestHashMismatch or CheckpointError.BadManifest
        or CheckpointError.MissingFile or CheckpointError.LengthMismatch or CheckpointError.HashMismatch or CheckpointError.BadSegment
        or CheckpointError.InconsistentWorld or CheckpointError.MissingManifest;

    private static DamagedCheckpointException Damaged(string checkpoint, CheckpointException exception) =>
        new($"--resume: {exception.Message}; move {checkpoint} aside to resume from the checkpoint before it, if there is one.", exception);

    /// <summary>
    /// Takes <c>--checkpoint-dir</c> for this run (<see cref="CheckpointStore.TryLockForWriting"/>), or returns null when
    /// the run writes no checkpoints. Refused: a folder another run writes to, and, for a run that does not resume from
    /// it, a folder that already holds checkpoints (another run's: its retention would mix them with this run's).
    /// </summary>
    /// <exception cref="UsageException">The folder is in use, holds another run's checkpoints, or cannot be written.</exception>
    public static IDisposable? LockDirectory(RunSettings settings)
    {
        if (settings.CheckpointEvery == 0 || settings.CheckpointDirectory is not { } directory)
        {
            return null;
        }

        FileStream? directoryLock = null;
        try
        {
            var store = new CheckpointStore(directory, settings.CheckpointsKept);
            Directory.CreateDirectory(store.Directory);
            directoryLock = store.TryLockForWriting()
                ?? throw new UsageException($"--checkpoint-dir '{directory}' is in use: another run is writing checkpoints to it; give each run its own --checkpoint-dir.");
            var resumesHere = settings.ResumeDirectory is { } resume && Path.GetFullPath(resume) == store.Directory;
            if (!resumesHere && CheckpointStore.List(store.Directory) is { Count: > 0 } earlier)
            {
                throw new UsageException($"--checkpoint-dir '{directory}' already holds checkpoints of another run (the newest of frame {earlier[^1].Frame}); continue that run with --resume '{directory}', or give an empty folder.");
            }

            // Only now, under the lock, are a killed writer's leftovers removed: before it they could be a live run's
            // checkpoint in progress.
            store.RemoveUnfinished();
            return directoryLock;
        }
        catch (Exception exception)
        {
            directoryLock?.Dispose();
            if (exception is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new UsageException($"--checkpoint-dir '{directory}' is not a writable directory ({exception.Message}); give a folder you can write.", exception);
            }

            throw;
        }
    }

    /// <summary>The background writer for <c>--checkpoint-every</c>, or null when the run writes none; the folder is already this run's (<see cref="LockDirectory"/>).</summary>
    public static BackgroundCheckpointWriter? Writer(RunSettings settings, Microsoft.Extensions.Logging.ILogger logger)
    {
        if (settings.CheckpointEvery == 0 || settings.CheckpointDirectory is not { } directory)
        {
            return null;
        }

        // Each write is spread over half the frames until the next checkpoint is due, so it ends in time.
        var store = new CheckpointStore(directory, settings.CheckpointsKept);
        return new BackgroundCheckpointWriter(store, logger, new CheckpointPacer(Math.Max(1, settings.CheckpointEvery / 2)))
        {
            AtLowestPriority = settings.CheckpointPriority == CheckpointPriority.Lowest,
        };
    }

    /// <summary>
    /// Builds the module's simulation on the checkpoint's world instead of a seeded one: systems first (they register
    /// the components the checkpoint names), then the world, then the frame count and the systems' change cursors.
    /// </summary>
    public static Simulation.SimulationRunner BuildResumed(SimulationModule module, Simulation.SimulationBuilder builder, Ecs.World world, ModuleContext context, ResumePoint resume)
    {
        if (!builder.HasJobs)
        {
            builder.WithJobs(module.LoadJobs());
        }

        module.AddSystems(builder, context);
        _ = module.ChecksumComponents;
        LoadWorld(world, resume.Checkpoint);
        var simulation = builder.Build(world);
        try
        {
            simulation.RestoreImage(resume.Simulation);
        }
        catch (CheckpointException exception)
        {
            simulation.Dispose();
            throw new UsageException($"--resume: {exception.Message}; the module's systems changed since the checkpoint was written.", exception);
        }

        return simulation;
    }
}
