namespace SimHost.Tests.Jobs;

/// <summary>The name and parameter layout of <see cref="ForgedReplyJob"/>, shared with the tests that run it.</summary>
public static class ForgedReplyJobNames
{
    /// <summary>Does what test.mark-all does, then makes tests/HostileWorker send a forged reply (once per marker file).</summary>
    public const string ForgedReply = "test.forged-reply";

    /// <summary>Parameter byte 0: a JobDone with a sequence number the host never gave (dropped; the worker is kept).</summary>
    public const byte UnknownSequence = 1;

    /// <summary>Parameter byte 0: a JobDone for the current request with a range the host did not give (the worker is killed).</summary>
    public const byte ForeignRange = 2;
}
