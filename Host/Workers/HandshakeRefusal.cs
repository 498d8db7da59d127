namespace SimHost.Host.Workers;

/// <summary>Why a Hello was refused.</summary>
/// <param name="IsStranger">The peer did not prove it is our worker (wrong token, not a Hello): drop it and keep listening.</param>
/// <param name="Reason">One line naming the field and the values.</param>
internal readonly record struct HandshakeRefusal(bool IsStranger, string Reason);
