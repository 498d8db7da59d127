namespace SimHost.Host.Persistence;

/// <summary>One file a manifest lists: its name inside the checkpoint, its length and its XxHash128.</summary>
internal sealed record ManifestFile(string Name, long LengthBytes, UInt128 Hash);
