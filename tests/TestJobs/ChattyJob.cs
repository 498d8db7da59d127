using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>
/// Writes <see cref="TestJobNames.ChattyChars"/> characters to standard output without a newline, then a newline and
/// <see cref="TestJobNames.ChattyDone"/>, and succeeds having changed nothing: a job whose console output alone must
/// not grow the host's memory.
/// </summary>
public sealed class ChattyJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.Chatty;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var chunk = new string('z', 64 * 1024);
        for (var written = 0; written < TestJobNames.ChattyChars; written += chunk.Length)
        {
            Console.Out.Write(chunk);
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine(TestJobNames.ChattyDone);
        Console.Out.Flush();
    }
}
