using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json.Nodes;
using SimHost.Host.Ecs;
using SimHost.Host.Persistence;
using SimHost.Physics;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A manifest whose own hash line vouches for it (edited by hand, then rehashed) is still refused when a field is
/// missing or of the wrong kind, naming the field, or when what it says twice disagrees: the entity count and the
/// archetypes' rows, the layout hash and the components. Ticks are not checked against the world's clock: it wraps.
/// </summary>
public sealed class CheckpointManifestRulesTests
{
    private string _checkpoint = null!;

    private string ManifestPath => Path.Combine(_checkpoint, CheckpointFileNames.Manifest);

    [SetUp]
    public void SetUp()
    {
        _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-manifest-{Guid.NewGuid():N}");
        var world = new World();
        ParticlesModule.Seed(world, 500, seed: 3, PhysicsParameters.Default);
        WorldCheckpoint.Save(world, _checkpoint);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_checkpoint, recursive: true);

    [Test]
    public void TheManifestAsWritten_Loads()
    {
        var world = new World();

        WorldCheckpoint.Load(_checkpoint, world);

        Assert.That(world.EntityCount, Is.EqualTo(500));
    }

    [TestCase("components", "'components' is missing")]
    [TestCase("changeTick", "'changeTick' is missing")]
    [TestCase("entityCount", "'entityCount' is missing")]
    [TestCase("components[0].sizeBytes", "'components[0].sizeBytes' is missing")]
    [TestCase("archetypes[1].lastChangedTicks", "'archetypes[1].lastChangedTicks' is missing")]
    [TestCase("files[1].xxh128", "'files[1].xxh128' is missing")]
    public void AMissingField_IsRefused_NamingIt(string field, string expected)
    {
        Rewrite(json => Parent(json, field, out var name).Remove(name));

        AssertRefused(expected);
    }

    [TestCase("slots", "\"many\"", "'slots' is not a 32-bit integer")]
    [TestCase("components[0].name", "7", "'components[0].name' is not a string")]
    [TestCase("archetypes", "{}", "'archetypes' is not an array")]
    [TestCase("files[0].xxh128", "\"not hex\"", "'files[0].xxh128' is not a 128-bit hexadecimal hash")]
    [TestCase("changeTick", "-1", "'changeTick' is not a 32-bit unsigned integer")]
    public void AFieldOfTheWrongKind_IsRefused_NamingIt(string field, string value, string expected)
    {
        Rewrite(json => Parent(json, field, out var name)[name] = JsonNode.Parse(value));

        AssertRefused(expected);
    }

    [Test]
    public void AnEntityCountThatIsNotTheArchetypesRows_IsRefused()
    {
        Rewrite(json => json["entityCount"] = 499);

        AssertRefused("'entityCount' is 499, the archetypes' rows add up to 500");
    }

    [Test]
    public void ALayoutHashThatIsNotTheComponents_IsRefused()
    {
        Rewrite(json => json["layoutHash"] = "0123456789abcdef");

        AssertRefused("'layoutHash' is 0123456789abcdef, the components' layouts give");
    }

    /// <summary>Edits the manifest's JSON and writes it back with a hash line that vouches for the edit.</summary>
    private void Rewrite(Action<JsonNode> edit)
    {
        var text = File.ReadAllText(ManifestPath);
        var body = text[..(text.TrimEnd('\n').LastIndexOf('\n') + 1)];
        var json = JsonNode.Parse(body)!;
        edit(json);
        var edited = json.ToJsonString() + "\n";
        var hash = XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(edited));
        File.WriteAllText(ManifestPath, $"{edited}xxh128 {hash.ToString("x32", CultureInfo.InvariantCulture)}\n");
    }

    /// <summary>The object holding the last part of a path like <c>components[0].sizeBytes</c>, and that part's name.</summary>
    private static JsonObject Parent(JsonNode root, string path, out string name)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
        }

        name = parts[^1];
        return node.AsObject();
    }

    private void AssertRefused(string expected)
    {
        var world = new World();
        var refusal = Assert.Throws<CheckpointException>(() => WorldCheckpoint.Load(_checkpoint, world));

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Error, Is.EqualTo(CheckpointError.BadManifest));
            Assert.That(refusal.FileName, Is.EqualTo(CheckpointFileNames.Manifest));
            Assert.That(refusal.Message, Does.Contain(expected));
            Assert.That(refusal.Message, Does.Not.Contain("dictionary"), "a reader's message that names no field");
            Assert.That(world.IsPristine, Is.True, "nothing of it is loaded");
        });
    }
}
