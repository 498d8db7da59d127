using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Layout.Components;

/// <summary>
/// Derives a component's fields by reflection and measures their real runtime offsets. Offsets are measured, not
/// computed from attributes: <see cref="Marshal.OffsetOf(Type, string)"/> reports the marshalled layout, which
/// differs from the managed one for <see cref="bool"/> (4 bytes marshalled, 1 managed) and for auto layout.
/// </summary>
/// <remarks>
/// Each scalar field is measured on its own: a zeroed instance gets that one field set to an all-ones value (through
/// the chain of nested struct fields that leads to it), and the first non-zero byte of the instance is its offset.
/// This is a one-time cost per component type.
/// </remarks>
internal sealed class ComponentLayoutDerivation
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static readonly MethodInfo s_bytesOfMethod =
        typeof(ComponentLayoutDerivation).GetMethod(nameof(BytesOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Type _component;
    private readonly List<Leaf> _leaves = [];

    private ComponentLayoutDerivation(Type component, string name)
    {
        _component = component;
        Name = name;
    }

    /// <summary>Gets the component's stable full type name.</summary>
    public string Name { get; }

    /// <summary>Gets the struct size in bytes.</summary>
    public int SizeBytes { get; private set; }

    /// <summary>Gets the struct alignment in bytes.</summary>
    public int AlignmentBytes { get; private set; }

    /// <summary>Gets the measured fields, sorted by offset.</summary>
    public FieldLayout[] Fields { get; private set; } = [];

    /// <summary>Derives the layout of <paramref name="type"/>.</summary>
    /// <exception cref="ComponentLayoutException">The type is not a struct or has a field that cannot be a column.</exception>
    public static ComponentLayoutDerivation Derive(Type type)
    {
        string name = StableName(type);
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || type.IsByRefLike || type.ContainsGenericParameters
            || type == typeof(decimal) || Nullable.GetUnderlyingType(type) is not null)
        {
            throw new ComponentLayoutException(
                $"Component {name} is not a user struct; a component must be an unmanaged struct whose fields are {ScalarKindExtensions.AllowedKindsText} or a struct of those.");
        }

        var derivation = new ComponentLayoutDerivation(type, name);
        derivation.CollectStruct(type, string.Empty, [], 0);
        derivation.Measure();
        return derivation;
    }

    /// <summary>Returns the full name without assembly qualification, so it does not change with assembly versions.</summary>
    internal static string StableName(Type type)
    {
        if (!type.IsGenericType || type.IsGenericTypeDefinition)
        {
            return type.FullName ?? type.Name;
        }

        Type definition = type.GetGenericTypeDefinition();
        Type[] arguments = type.GetGenericArguments();
        var parts = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            parts[i] = StableName(arguments[i]);
        }

        return $"{definition.FullName ?? definition.Name}[{string.Join(",", parts)}]";
    }

    private static byte[] BytesOf<T>(object box)
        where T : struct
    {
        T value = (T)box;
        return MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
    }

    private static string FieldName(FieldInfo field)
    {
        // Auto-properties store their value in "<Name>k__BackingField"; the user knows the property name.
        string name = field.Name;
        const string BackingSuffix = ">k__BackingField";
        return name.StartsWith('<') && name.EndsWith(BackingSuffix, StringComparison.Ordinal)
            ? name[1..^BackingSuffix.Length]
            : name;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static object AllOnes(Type fieldType, ScalarKind kind)
    {
        object value = kind switch
        {
            ScalarKind.F32 => BitConverter.Int32BitsToSingle(-1),
            ScalarKind.F64 => BitConverter.Int64BitsToDouble(-1),
            ScalarKind.I8 => (sbyte)-1,
            ScalarKind.U8 => byte.MaxValue,
            ScalarKind.I16 => (short)-1,
            ScalarKind.U16 => ushort.MaxValue,
            ScalarKind.I32 => -1,
            ScalarKind.U32 => uint.MaxValue,
            ScalarKind.I64 => -1L,
            ScalarKind.U64 => ulong.MaxValue,
            // A bool is only ever stored as 0 or 1; its single byte is all the probe needs.
            ScalarKind.Bool => true,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return fieldType.IsEnum ? Enum.ToObject(fieldType, value) : value;
    }

    private void CollectStruct(Type structType, string prefix, FieldInfo[] chain, int extraOffset)
    {
        if (structType.GetCustomAttribute<InlineArrayAttribute>() is { } inlineArray)
        {
            // An inline array declares one element field; the runtime repeats it Length times back to back.
            FieldInfo element = structType.GetFields(InstanceFields)[0];
            int stride = RuntimeHelpers.SizeOf(element.FieldType.TypeHandle);
            for (int i = 0; i < inlineArray.Length; i++)
            {
                CollectField(element, $"{prefix}[{i}]", [.. chain, element], extraOffset + (i * stride));
            }

            return;
        }

        foreach (FieldInfo field in structType.GetFields(InstanceFields))
        {
            string path = Join(prefix, FieldName(field));
            if (field.GetCustomAttribute<FixedBufferAttribute>() is { } fixedBuffer)
            {
                // A fixed buffer is a compiler-made struct holding its first element; the rest follow it.
                if (!ScalarKindExtensions.TryGetScalarKind(fixedBuffer.ElementType, out ScalarKind elementKind))
                {
                    throw Rejected(path, fixedBuffer.ElementType);
                }

                FieldInfo first = field.FieldType.GetFields(InstanceFields)[0];
                for (int i = 0; i < fixedBuffer.Length; i++)
                {
                    _leaves.Add(new Leaf($"{path}[{i}]", elementKind, [.. chain, field, first], extraOffset + (i * elementKind.SizeBytes())));
                }

                continue;
            }

            CollectField(field, path, [.. chain, field], extraOffset);
        }
    }

    private void CollectField(FieldInfo field, string path, FieldInfo[] chain, int extraOffset)
    {
        Type type = field.FieldType;
        if (ScalarKindExtensions.TryGetScalarKind(type, out ScalarKind kind))
        {
            _leaves.Add(new Leaf(path, kind, chain, extraOffset));
        }
        else if (type.IsValueType && !type.IsPrimitive && !type.IsByRefLike && type != typeof(decimal))
        {
            CollectStruct(type, path, chain, extraOffset);
        }
        else
        {
            throw Rejected(path, type);
        }
    }

    private ComponentLayoutException Rejected(string path, Type type) =>
        new($"Component {Name} field '{path}' has type {StableName(type)}; component fields must be {ScalarKindExtensions.AllowedKindsText} or a struct of those.");

    private void Measure()
    {
        var bytesOf = s_bytesOfMethod.MakeGenericMethod(_component).CreateDelegate<Func<object, byte[]>>();
        SizeBytes = RuntimeHelpers.SizeOf(_component.TypeHandle);
        AlignmentBytes = RuntimeHelpers.SizeOf(typeof(AlignmentProbe<>).MakeGenericType(_component).TypeHandle) - SizeBytes;

        var fields = new FieldLayout[_leaves.Count];
        for (int i = 0; i < fields.Length; i++)
        {
            Leaf leaf = _leaves[i];
            byte[] bytes = bytesOf(BoxWithOnlyLeafSet(leaf));
            int first = Array.FindIndex(bytes, static b => b != 0);
            int last = Array.FindLastIndex(bytes, static b => b != 0);
            int expected = leaf.Kind == ScalarKind.Bool ? 1 : leaf.Kind.SizeBytes();
            if (first < 0 || last - first + 1 != expected)
            {
                // Would mean the runtime stores a scalar in a way this probe does not understand; never guess an offset.
                throw new ComponentLayoutException($"Component {Name} field '{leaf.Path}' could not be located in the struct's bytes.");
            }

            fields[i] = new FieldLayout(leaf.Path, leaf.Kind, first + leaf.ExtraOffset);
        }

        ComponentLayout.SortAndRejectOverlaps(Name, fields);
        Fields = fields;
    }

    private object BoxWithOnlyLeafSet(Leaf leaf)
    {
        // Build from the inside out: the scalar, then each enclosing struct, each starting from all zero bytes.
        FieldInfo[] chain = leaf.Chain;
        object value = AllOnes(chain[^1].FieldType, leaf.Kind);
        for (int depth = chain.Length - 1; depth >= 0; depth--)
        {
            Type holder = depth == 0 ? _component : chain[depth - 1].FieldType;
            object box = RuntimeHelpers.GetUninitializedObject(holder);
            chain[depth].SetValue(box, value);
            value = box;
        }

        return value;
    }

    /// <summary>A scalar field found by the walk, with the field chain that reaches it and the element offset to add.</summary>
    private readonly record struct Leaf(string Path, ScalarKind Kind, FieldInfo[] Chain, int ExtraOffset);
}
