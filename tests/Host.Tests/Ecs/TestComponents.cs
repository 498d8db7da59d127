namespace SimHost.Tests.Host.Ecs;

public record struct Position(float X, float Y);

public record struct Velocity(float X, float Y);

public record struct Health(int Value);

public record struct Mass(long Value);

public record struct Frozen(byte Reason);
