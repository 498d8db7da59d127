using System.Text;
using SimHost.Host.Ecs;
using SimHost.Layout.Components;

namespace SimHost.Host.Persistence;

/// <summary>How a checkpoint names a component type, and how a loading process finds the type again by that name.</summary>
internal static class ComponentDescription
{
    /// <summary>The checkpoint's description of <paramref name="type"/>.</summary>
    public static ComponentImage Of(ComponentType type, byte[]? defaultValue)
    {
        var (hash, fields) = Layout(type);
        return new ComponentImage(NameOf(type), type.SizeBytes, hash, fields, defaultValue);
    }

    /// <summary>The name a checkpoint stores: the full type name, without assembly.</summary>
    public static string NameOf(ComponentType type) => type.Type.FullName ?? type.Type.Name;

    /// <summary>
    /// The layout hash and fields of a component. A struct whose fields cannot be columns (a char, a pointer) still
    /// checkpoints: its hash is then FNV-1a 64 of its name and size, and it lists no fields.
    /// </summary>
    public static (ulong Hash, IReadOnlyList<FieldLayout> Fields) Layout(ComponentType type)
    {
        try
        {
            var layout = ComponentLayout.Of(type.Type);
            return (layout.Hash, layout.Fields);
        }
        catch (ComponentLayoutException)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes($"{NameOf(type)}/{type.SizeBytes}"))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return (hash, []);
        }
    }

    /// <summary>
    /// The component type named <paramref name="name"/> in this process: one already registered, else an unmanaged
    /// struct of that full name in a loaded assembly (registered now), else null.
    /// </summary>
    public static ComponentType? Find(string name)
    {
        for (var id = 0; id < ComponentType.MaxCount; id++)
        {
            ComponentType type;
            try
            {
                type = ComponentType.FromId(id);
            }
            catch (ArgumentOutOfRangeException)
            {
                break;
            }

            if (string.Equals(NameOf(type), name, StringComparison.Ordinal))
            {
                return type;
            }
        }

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }

            Type? candidate;
            try
            {
                candidate = assembly.GetType(name, throwOnError: false);
            }
            catch (Exception exception) when (exception is TypeLoadException or FileNotFoundException or BadImageFormatException)
            {
                continue;
            }

            if (candidate is { IsValueType: true, IsGenericTypeDefinition: false })
            {
                try
                {
                    return (ComponentType?)typeof(ComponentType).GetMethod(nameof(ComponentType.Of))!.MakeGenericMethod(candidate).Invoke(null, null);
                }
                catch (ArgumentException)
                {
                    // Not unmanaged: not a component.
                }
            }
        }

        return null;
    }
}
