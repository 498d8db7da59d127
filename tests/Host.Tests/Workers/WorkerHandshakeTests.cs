using System.Collections.Immutable;
using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>The host's side of the handshake, driven by fake clients on a real pipe.</summary>
[TestFixture]
public sealed class WorkerHandshakeTests
{
    private const uint WorkerId = 3;
    private static readonly ImmutableArray<ulong> s_layouts = [0x1111, 0x2222];
    private static readonly AuthToken s_token = AuthToken.CreateRandom();
    private readonly CollectingLogger _sink = new();
    private string _pipePath = null!;
    private ILogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _pipePath = Path.Combine(Path.GetTempPath(), $"simhost-test-{Guid.NewGuid():N}"[..32] + ".pipe");
        _logger = _sink;
    }

    [TearDown]
    public void TearDown()
    {
        File.Delete(_pipePath);
        Assert.That(File.Exists(_pipePath), Is.False);
    }

    [Test]
    public async Task WrongToken_IsRefused_AndTheHostKeepsListeningForItsWorker()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);

        var strangerReply = await SendHelloAsync(Hello(AuthToken.CreateRandom()));
        var workerReply = await SendHelloAsync(Hello(s_token), keepOpenUntil: accepting);
        await using var connection = await WorkerTestEnvironment.Within(accepting, "accepting the real worker after a stranger");

        Assert.Multiple(() =>
        {
            Assert.That(strangerReply, Is.Null, "the stranger got no Welcome");
            Assert.That(workerReply, Is.EqualTo(new WelcomeMessage(WorkerId, 9, TimeSpan.FromSeconds(5), WorkerLogLevel.Debug)));
            Assert.That(connection.Hello.WorkerId, Is.EqualTo(WorkerId));
            Assert.That(_sink.Lines, Has.Some.Contains("wrong auth token"));
        });
    }

    [Test]
    public async Task LayoutHashMismatch_IsRefused_NamingTheHashes()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);

        var reply = await SendHelloAsync(Hello(s_token, layouts: [0x1111, 0x3333]));

        var refusal = Assert.ThrowsAsync<WorkerStartException>(async () => await WorkerTestEnvironment.Within(accepting, "refusing a layout mismatch"));
        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.Null);
            Assert.That(refusal!.Message, Does.Contain("layout mismatch").And.Contain("0x0000000000002222").And.Contain("0x0000000000003333"));
            Assert.That(_sink.Lines, Has.Some.Contains("layout mismatch"));
        });
    }

    [Test]
    public async Task MissingLayouts_AreAccepted_WhenTheWorkerReportsLoadFailures()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);
        var failure = new JobLoadFailure(JobLoadError.DependencyMissing, "/jobs/a.dll", "", "its dependency 'B' cannot be loaded");

        var reply = await SendHelloAsync(Hello(s_token, layouts: [0x1111]), keepOpenUntil: accepting, catalog: Catalog(failure));
        await using var connection = await WorkerTestEnvironment.Within(accepting, "accepting a worker that reports a load failure");

        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.InstanceOf<WelcomeMessage>());
            Assert.That(connection.Catalog.Failures, Is.EqualTo(new[] { failure }));
        });
    }

    [Test]
    public async Task AFrameOtherThanJobCatalogAfterHello_IsRefused()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);
        await using var client = new NamedPipeClientStream(".", _pipePath, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await client.ConnectAsync(cancel.Token);
        using var writer = new FrameWriter(client);
        await writer.WriteAsync(Hello(s_token), 0, cancel.Token);
        await writer.WriteAsync(PongMessage.Instance, 0, cancel.Token);

        var refusal = Assert.ThrowsAsync<WorkerStartException>(async () => await WorkerTestEnvironment.Within(accepting, "refusing a Pong instead of JobCatalog"));
        Assert.That(refusal!.Message, Does.Contain("not JobCatalog"));
    }

    [TestCase(7u, ProtocolConstants.Version, "worker id 7, expected 3")]
    [TestCase(3u, (ushort)2, "protocol version 2")]
    public async Task WrongIdentity_WithTheRightToken_IsRefused(uint workerId, ushort version, string reason)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);

        await SendHelloAsync(new HelloMessage(workerId, Environment.ProcessId, version, s_token, s_layouts));

        var refusal = Assert.ThrowsAsync<WorkerStartException>(async () => await WorkerTestEnvironment.Within(accepting, "refusing a wrong identity"));
        Assert.That(refusal!.Message, Does.Contain(reason));
    }

    [Test]
    public async Task LateReply_IsDropped_AndTheOutstandingRequestStillCompletes()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);
        await using var client = new NamedPipeClientStream(".", _pipePath, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await client.ConnectAsync(cancel.Token);
        using var writer = new FrameWriter(client);
        var reader = new FrameReader(client);
        await writer.WriteAsync(Hello(s_token), 0, cancel.Token);
        await writer.WriteAsync(Catalog(), 0, cancel.Token);
        await reader.ReadAsync(cancel.Token);
        await using var connection = await WorkerTestEnvironment.Within(accepting, "handshake");

        var request = connection.RequestAsync(PingMessage.Instance, 5, TimeSpan.FromSeconds(60), cancel.Token);
        var ping = await reader.ReadAsync(cancel.Token);
        await writer.WriteAsync(PongMessage.Instance, 4, cancel.Token);
        await writer.WriteAsync(PongMessage.Instance, 5, cancel.Token);
        var reply = await WorkerTestEnvironment.Within(request, "the Pong for #5");

        Assert.Multiple(() =>
        {
            Assert.That(ping!.Value.Sequence, Is.EqualTo(5UL));
            Assert.That(reply.Sequence, Is.EqualTo(5UL));
            Assert.That(connection.IsOpen, Is.True);
            Assert.That(_sink.Lines, Has.Some.Contains("Dropped Pong #4"));
        });
    }

    [Test]
    public async Task ReplyOfTheWrongType_BreaksTheConnection()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var accepting = AcceptAsync(cancel.Token);
        await using var client = new NamedPipeClientStream(".", _pipePath, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await client.ConnectAsync(cancel.Token);
        using var writer = new FrameWriter(client);
        var reader = new FrameReader(client);
        await writer.WriteAsync(Hello(s_token), 0, cancel.Token);
        await writer.WriteAsync(Catalog(), 0, cancel.Token);
        await reader.ReadAsync(cancel.Token);
        await using var connection = await WorkerTestEnvironment.Within(accepting, "handshake");

        var request = connection.RequestAsync(PingMessage.Instance, 1, TimeSpan.FromSeconds(60), cancel.Token);
        await reader.ReadAsync(cancel.Token);
        await writer.WriteAsync(new JobFailedMessage("not an answer to a ping"), 1, cancel.Token);

        var broken = Assert.ThrowsAsync<WorkerBrokenException>(async () => await WorkerTestEnvironment.Within(request, "the broken request"));
        Assert.Multiple(() =>
        {
            Assert.That(broken!.Message, Does.Contain("protocol break"));
            Assert.That(connection.IsOpen, Is.False);
        });
    }

    private static HelloMessage Hello(AuthToken token, ImmutableArray<ulong>? layouts = null) =>
        new(WorkerId, Environment.ProcessId, ProtocolConstants.Version, token, layouts ?? s_layouts);

    private Task<WorkerConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        var handshake = new WorkerHandshake(WorkerId, null, s_token, new HashSet<ulong>(s_layouts));
        var welcome = new WelcomeMessage(WorkerId, 9, TimeSpan.FromSeconds(5), WorkerLogLevel.Debug);
        return WorkerListener.AcceptAsync(_pipePath, handshake, welcome, null, _logger, cancellationToken);
    }

    private static JobCatalogMessage Catalog(params JobLoadFailure[] failures) => new(["physics.step"], [.. failures]);

    /// <summary>Connects, sends <paramref name="hello"/> and a JobCatalog, and returns the host's answer, or null when it hung up.</summary>
    private async Task<ProtocolMessage?> SendHelloAsync(HelloMessage hello, Task? keepOpenUntil = null, JobCatalogMessage? catalog = null)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var client = new NamedPipeClientStream(".", _pipePath, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await client.ConnectAsync(cancel.Token);
        using var writer = new FrameWriter(client);
        await writer.WriteAsync(hello, 0, cancel.Token);
        try
        {
            await writer.WriteAsync(catalog ?? Catalog(), 0, cancel.Token);
        }
        catch (IOException)
        {
            // A stranger is hung up on after Hello.
        }

        Frame? reply;
        try
        {
            reply = await new FrameReader(client).ReadAsync(cancel.Token);
        }
        catch (IOException)
        {
            reply = null;
        }

        if (keepOpenUntil is not null)
        {
            await WorkerTestEnvironment.Within(keepOpenUntil, "the host finishing the handshake");
        }

        return reply?.Message;
    }
}
