using SimHost.Layout.Components;

namespace SimHost.Host.Persistence;

/// <summary>
/// One component as a checkpoint names it: its full type name, size, layout hash and fields (so a reader without the
/// module can still show the layout), and the world's registered default value if one was registered.
/// </summary>
internal sealed record ComponentImage(string Name, int SizeBytes, ulong LayoutHash, IReadOnlyList<FieldLayout> Fields, byte[]? DefaultValue);
