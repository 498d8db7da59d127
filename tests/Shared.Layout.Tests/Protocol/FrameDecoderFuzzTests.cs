using System.Buffers.Binary;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

/// <summary>
/// Feeds the decoder random and mutated frames: each must decode or throw <see cref="ProtocolException"/>, nothing else.
/// </summary>
[TestFixture]
public sealed class FrameDecoderFuzzTests
{
    private const int Seed = 20_251_126;
    private static readonly byte[][] s_validFrames = [.. SampleMessages.All().Select(m => SampleMessages.Encode(m))];

    [Test]
    public void Decode_OfRandomBytes_ReturnsOrThrowsProtocolException()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            AssertDecodesOrRejects(bytes);
        }
    }

    [Test]
    public void Decode_OfRandomBodiesBehindValidHeaders_ReturnsOrThrowsProtocolException()
    {
        // Random bytes almost never pass the version and type checks, so this reaches every body reader directly.
        var random = new Random(Seed + 1);
        var types = Enum.GetValues<MessageType>();
        for (var i = 0; i < 5000; i++)
        {
            var body = new byte[random.Next(0, 80)];
            random.NextBytes(body);
            AssertDecodesOrRejects(SampleMessages.RawFrame(types[random.Next(types.Length)], body));
        }
    }

    [Test]
    public void Decode_OfMutatedValidFrames_ReturnsOrThrowsProtocolException()
    {
        var random = new Random(Seed + 2);
        for (var i = 0; i < 8000; i++)
        {
            var frame = s_validFrames[random.Next(s_validFrames.Length)];
            AssertDecodesOrRejects(Mutate(frame, random));
        }
    }

    [Test]
    public void Decode_OfAnyAcceptedFrame_ReEncodesToAnEqualMessage()
    {
        var random = new Random(Seed + 3);
        var accepted = 0;
        for (var i = 0; i < 4000; i++)
        {
            var frame = Mutate(s_validFrames[random.Next(s_validFrames.Length)], random);
            Frame decoded;
            try
            {
                decoded = FrameDecoder.Decode(frame);
            }
            catch (ProtocolException)
            {
                continue;
            }

            accepted++;
            var again = FrameDecoder.Decode(SampleMessages.Encode(decoded.Message, decoded.Sequence));
            Assert.That(again, Is.EqualTo(decoded));
        }

        Assert.That(accepted, Is.GreaterThan(0), "The mutations should leave some frames valid.");
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var frame = (byte[])valid.Clone();
        switch (random.Next(6))
        {
            case 0:
                // Flip one to four bits anywhere.
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
                }

                return frame;
            case 1:
                return frame[..random.Next(frame.Length)];
            case 2:
                var extension = new byte[random.Next(1, 16)];
                random.NextBytes(extension);
                return [.. frame, .. extension];
            case 3:
                // Edit the length field, sometimes to a small delta, sometimes to anything.
                var length = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                var edited = random.Next(2) == 0 ? (uint)(length + random.Next(-8, 9)) : (uint)random.NextInt64(0, uint.MaxValue + 1L);
                BinaryPrimitives.WriteUInt32LittleEndian(frame, edited);
                return frame;
            case 4:
                // Extend the body and fix the length field, so only the body reader sees the extra bytes.
                byte[] longer = [.. frame, .. new byte[random.Next(1, 8)]];
                BinaryPrimitives.WriteUInt32LittleEndian(longer, (uint)(longer.Length - ProtocolConstants.LengthFieldBytes));
                return longer;
            default:
                // Overwrite one body byte with a random value and keep the framing valid.
                if (frame.Length > ProtocolConstants.HeaderSizeBytes)
                {
                    frame[random.Next(ProtocolConstants.HeaderSizeBytes, frame.Length)] = (byte)random.Next(256);
                }

                return frame;
        }
    }

    private static void AssertDecodesOrRejects(byte[] frame)
    {
        try
        {
            FrameDecoder.Decode(frame);
        }
        catch (ProtocolException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name} escaped for frame {Convert.ToHexString(frame)}: {ex.Message}");
        }
    }
}
