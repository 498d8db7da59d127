using CsCheck;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

[TestFixture]
public sealed class EntityHandleTests
{
    [Test]
    public void Value_PutsIndexInTheLowAndGenerationInTheHighWord()
    {
        Assert.That(new EntityHandle(Index: 0x0000_0001, Generation: 0x0000_0002).Value, Is.EqualTo(0x0000_0002_0000_0001UL));
    }

    [Test]
    public void FromValue_InvertsValue()
    {
        Gen.Select(Gen.UInt, Gen.UInt).SampleSeeded(sample =>
        {
            var (index, generation) = sample;
            var handle = new EntityHandle(index, generation);
            Assert.That(EntityHandle.FromValue(handle.Value), Is.EqualTo(handle));
        });
    }
}
