using SimHost.Host.Ecs;

namespace SimHost.Host.Persistence;

/// <summary>
/// Saves a <see cref="World"/> to a checkpoint directory or stream and loads it back, bit for bit: every archetype in
/// creation order with its rows, entity handles, component bytes and changed ticks, the entity table with its
/// generations and free list, the change tick and the registered defaults. The files are segment-format files plus
/// a manifest with each file's length and XxHash128 (docs/checkpoints.md); a directory is written crash-safely.
/// </summary>
/// <remarks>
/// Components are matched by full type name and checked by layout hash, so the loading process may register them in
/// another order. Save between frames, never while a query iterates or a system runs.
/// </remarks>
public static class WorldCheckpoint
{
    private static readonly Dictionary<string, string> s_noRun = [];

    /// <summary>Writes <paramref name="world"/> as the checkpoint directory <paramref name="directory"/> (replaced if it exists, only once the new one is whole).</summary>
    /// <param name="world">The world; not changed.</param>
    /// <param name="directory">The checkpoint directory to create.</param>
    /// <exception cref="CheckpointException">The directory cannot be written.</exception>
    public static void Save(World world, string directory)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CheckpointFiles.WriteDirectory(new CheckpointContent(world.CaptureImage(), null, s_noRun), directory);
    }

    /// <summary>Writes <paramref name="world"/> to <paramref name="destination"/> as one checkpoint stream.</summary>
    /// <param name="world">The world; not changed.</param>
    /// <param name="destination">A writable stream; left open.</param>
    public static void Save(World world, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(destination);
        CheckpointFiles.WriteStream(new CheckpointContent(world.CaptureImage(), null, s_noRun), destination);
    }

    /// <summary>Loads the checkpoint directory <paramref name="directory"/> into the empty <paramref name="world"/>.</summary>
    /// <param name="directory">A checkpoint directory written by <see cref="Save(World, string)"/> or <c>simhost run --checkpoint-dir</c>.</param>
    /// <param name="world">A new, empty world; nothing is loaded into it unless every check passes.</param>
    /// <exception cref="CheckpointException">The checkpoint is damaged, names a component this process lacks or lays out differently, or the world is not empty.</exception>
    public static void Load(string directory, World world)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(world);
        EnsurePristine(world);

        // The fast reader reads each file once, straight into the world's new columns; whatever it refuses is read
        // again by the reader that names the first rule broken (or loads it, should the fast one be stricter).
        if (!CheckpointLoader.TryLoad(directory, world))
        {
            LoadInto(world, CheckpointFiles.ReadDirectory(directory).World);
        }
    }

    /// <summary>Loads a checkpoint stream written by <see cref="Save(World, Stream)"/> into the empty <paramref name="world"/>.</summary>
    /// <param name="source">The stream, positioned at the checkpoint; left open.</param>
    /// <param name="world">A new, empty world; nothing is loaded into it unless every check passes.</param>
    /// <exception cref="CheckpointException">The checkpoint is damaged, names a component this process lacks or lays out differently, or the world is not empty.</exception>
    public static void Load(Stream source, World world)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(world);
        EnsurePristine(world);
        LoadInto(world, CheckpointFiles.ReadStream(source).World);
    }

    /// <summary>Resolves the image's components in this process and loads it into the pristine <paramref name="world"/>.</summary>
    internal static void LoadInto(World world, WorldImage image)
    {
        EnsurePristine(world);
        world.RestoreImage(image, Resolve(image.Components));
    }

    /// <summary>This process's type for each component of a checkpoint, checked by size and layout hash.</summary>
    /// <exception cref="CheckpointException">A component is unknown here, or laid out differently.</exception>
    internal static ComponentType[] Resolve(IReadOnlyList<ComponentImage> components)
    {
        var types = new ComponentType[components.Count];
        for (var i = 0; i < types.Length; i++)
        {
            var stored = components[i];
            var type = ComponentDescription.Find(stored.Name)
                ?? throw new CheckpointException(CheckpointError.UnknownComponent, CheckpointFileNames.Manifest, $"component {stored.Name} is not a type of this process (load the module or assembly that defines it first)");
            var (hash, _) = ComponentDescription.Layout(type);
            if (hash != stored.LayoutHash || type.SizeBytes != stored.SizeBytes)
            {
                throw new CheckpointException(
                    CheckpointError.LayoutMismatch,
                    CheckpointFileNames.Manifest,
                    $"component {stored.Name} is laid out differently: the checkpoint has {stored.SizeBytes} bytes, layout hash {stored.LayoutHash:x16}; this build has {type.SizeBytes} bytes, {hash:x16}");
            }

            types[i] = type;
        }

        return types;
    }

    private static void EnsurePristine(World world)
    {
        if (!world.IsPristine)
        {
            throw new CheckpointException(CheckpointError.WorldNotEmpty, "world", "a checkpoint loads into a new, empty world only; this one already has entities or archetypes");
        }
    }
}
