using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

[TestFixture]
public sealed class WorkerArgumentsTests
{
    private static readonly string[] s_assemblies = ["a.dll", "b.dll"];

    [Test]
    public void TryParse_ReadsEveryOption()
    {
        var ok = WorkerArguments.TryParse(
            ["--pipe", "/tmp/p.pipe", "--worker-id", "3", "--parent-pid", "42", "--job-assembly", "a.dll", "--job-assembly", "b.dll"],
            out var arguments,
            out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(arguments!.PipeName, Is.EqualTo("/tmp/p.pipe"));
            Assert.That(arguments.WorkerId, Is.EqualTo(3u));
            Assert.That(arguments.ParentProcessId, Is.EqualTo(42));
            Assert.That(arguments.JobAssemblies, Is.EqualTo(s_assemblies));
        });
    }

    [Test]
    public void TryParse_ReadsTheMailboxAndItsSpin()
    {
        var ok = WorkerArguments.TryParse(
            ["--pipe", "p", "--worker-id", "0", "--parent-pid", "1", "--mailbox", "/dev/shm/w0.mailbox", "--mailbox-spin", "1000"],
            out var arguments,
            out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(arguments!.MailboxPath, Is.EqualTo("/dev/shm/w0.mailbox"));
            Assert.That(arguments.MailboxIdle.SpinCount, Is.EqualTo(1000));
            Assert.That(arguments.MailboxIdle.SpinLimit, Is.EqualTo(TimeSpan.Zero), "no idle spin unless the host asks for one");
        });
    }

    [Test]
    public void TryParse_ReadsTheIdleSpinInMicroseconds()
    {
        var ok = WorkerArguments.TryParse(
            ["--pipe", "p", "--worker-id", "0", "--parent-pid", "1", "--mailbox", "m", "--mailbox-idle-spin-us", "1500"],
            out var arguments,
            out var error);

        Assert.That(ok, Is.True, error);
        Assert.That(arguments!.MailboxIdle.SpinLimit, Is.EqualTo(TimeSpan.FromMicroseconds(1500)));
    }

    [Test]
    public void TryParse_WithoutMailbox_LeavesThePipeOnly()
    {
        var ok = WorkerArguments.TryParse(["--pipe", "p", "--worker-id", "0", "--parent-pid", "1"], out var arguments, out _);

        Assert.That(ok && arguments!.MailboxPath is null, Is.True);
    }

    [TestCase(new string[0], "missing --pipe")]
    [TestCase(new[] { "--pipe", "p", "--parent-pid", "1" }, "missing --worker-id")]
    [TestCase(new[] { "--pipe", "p", "--worker-id", "1" }, "missing --parent-pid")]
    [TestCase(new[] { "--pipe", "p", "--worker-id", "-1", "--parent-pid", "1" }, "option '--worker-id' has an invalid value '-1'")]
    [TestCase(new[] { "--pipe", "p", "--worker-id", "1", "--parent-pid", "0" }, "option '--parent-pid' has an invalid value '0'")]
    [TestCase(new[] { "--pipe" }, "option '--pipe' needs a value")]
    [TestCase(new[] { "--mailbox-idle-spin-us", "-5" }, "option '--mailbox-idle-spin-us' has an invalid value '-5'")]
    [TestCase(new[] { "--verbose", "yes" }, "unknown option '--verbose'")]
    public void TryParse_RejectsBadArguments_WithOneLine(string[] args, string expected)
    {
        var ok = WorkerArguments.TryParse(args, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Is.EqualTo(expected));
        });
    }
}
