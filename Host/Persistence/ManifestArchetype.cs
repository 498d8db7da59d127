namespace SimHost.Host.Persistence;

/// <summary>What a manifest says of one archetype: its file, its components (indexes into the component list) and rows.</summary>
internal sealed record ManifestArchetype(string File, int[] Components, int Rows, uint[] LastChangedTicks);
