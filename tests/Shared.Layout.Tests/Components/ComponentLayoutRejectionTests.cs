using SimHost.Layout.Components;

namespace SimHost.Tests.SharedLayout.Components;

public sealed class ComponentLayoutRejectionTests
{
    private const string Allowed = "component fields must be f32, f64, i8, u8, i16, u16, i32, u32, i64, u64, bool or a struct of those.";
    private const string Ns = "SimHost.Tests.SharedLayout.Components.";

    [Test]
    public void Of_RejectsCharWithAOneLineMessageNamingStructFieldAndAllowedKinds()
    {
        Assert.That(
            () => ComponentLayout.Of<WithChar>(),
            Throws.TypeOf<ComponentLayoutException>().With.Message.EqualTo(
                $"Component {Ns}WithChar field 'Letter' has type System.Char; {Allowed}"));
    }

    [Test]
    public void Of_RejectsABadFieldInsideANestedStructByItsDottedPath()
    {
        Assert.That(
            () => ComponentLayout.Of<NestedChar>(),
            Throws.TypeOf<ComponentLayoutException>().With.Message.EqualTo(
                $"Component {Ns}NestedChar field 'Body.Name' has type System.Char; {Allowed}"));
    }

    [TestCase(typeof(WithDecimal), "Money", "System.Decimal")]
    [TestCase(typeof(WithNint), "Handle", "System.IntPtr")]
    [TestCase(typeof(WithNuint), "Handle", "System.UIntPtr")]
    [TestCase(typeof(WithPointer), "Target", "System.Int32*")]
    [TestCase(typeof(WithFixedChars), "Name", "System.Char")]
    [TestCase(typeof(WithString), "Text", "System.String")]
    [TestCase(typeof(WithObject), "Boxed", "System.Object")]
    public void Of_RejectsUnsupportedFieldTypes(Type component, string path, string typeName)
    {
        Assert.That(
            () => ComponentLayout.Of(component),
            Throws.TypeOf<ComponentLayoutException>().With.Message.EqualTo(
                $"Component {component.FullName} field '{path}' has type {typeName}; {Allowed}"));
    }

    [Test]
    public void Of_RejectsOverlappingExplicitFields()
    {
        Assert.That(
            () => ComponentLayout.Of<Union>(),
            Throws.TypeOf<ComponentLayoutException>().With.Message.EqualTo(
                $"Component {Ns}Union fields 'AsFloat' and 'AsInt' overlap at byte 0; component fields must not share bytes."));
    }

    [TestCase(typeof(string))]
    [TestCase(typeof(int))]
    [TestCase(typeof(Team))]
    [TestCase(typeof(decimal))]
    [TestCase(typeof(int?))]
    [TestCase(typeof(Generic<>))]
    public void Of_RejectsTypesThatAreNotUserStructs(Type type)
    {
        Assert.That(
            () => ComponentLayout.Of(type),
            Throws.TypeOf<ComponentLayoutException>().With.Message.Contains("is not a user struct"));
    }

    [Test]
    public void Of_RejectionMessagesAreOneLine()
    {
        var error = Assert.Throws<ComponentLayoutException>(() => ComponentLayout.Of<NestedChar>());

        Assert.That(error!.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Of_KeepsRejectingOnRepeatedCalls()
    {
        Assert.That(() => ComponentLayout.Of<WithChar>(), Throws.TypeOf<ComponentLayoutException>());
        Assert.That(() => ComponentLayout.Of<WithChar>(), Throws.TypeOf<ComponentLayoutException>());
    }
}
