using System.Collections;
using System.Globalization;

namespace SimHost.Host.Workers;

/// <summary>
/// The state of a worker-tagged log event: the text under one property, a WorkerId property beside it, and the
/// message template (<c>{OriginalFormat}</c>) structured sinks such as Serilog render it with.
/// </summary>
internal readonly struct WorkerTaggedState(uint workerId, string property, string text, string template)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The message text.</summary>
    public string Text { get; } = text;

    /// <summary>The text for a logger that prints formatted text only: the worker named first (<see cref="Prefixed"/>).</summary>
    public string Formatted => Prefixed(workerId, Text);

    /// <inheritdoc />
    public int Count => 3;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("WorkerId", workerId),
        1 => new(property, Text),
        2 => new("{OriginalFormat}", template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => Formatted;

    /// <summary><c>worker 3: text</c>: whose line it is, where no property is shown.</summary>
    public static string Prefixed(uint workerId, string text) => string.Create(CultureInfo.InvariantCulture, $"worker {workerId}: {text}");
}
