using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using SimHost.Layout.Protocol;

namespace SimHost.Worker;

/// <summary>
/// Writes each Serilog event as one <see cref="WorkerLogLine"/> (compact JSON) for the host to replay into its own
/// logger: level, category (<c>SourceContext</c>), a stable event id per message template, the message rendered with
/// strings unquoted, the template and its properties, and the exception's text.
/// </summary>
internal sealed class WorkerLogFormatter : ITextFormatter
{
    /// <summary>The category of an event logged without a <c>SourceContext</c>.</summary>
    public const string DefaultCategory = "SimHost.Worker";

    private const string SourceContext = "SourceContext";

    // ":lj" renders strings unquoted and structures as JSON, as the worker's console lines always read.
    private static readonly MessageTemplateTextFormatter s_message = new("{Message:lj}", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(WorkerLogLine.Encode(ToWorkerLogEvent(logEvent)));
        output.Write('\n');
    }

    /// <summary>The structured event the line carries.</summary>
    public static WorkerLogEvent ToWorkerLogEvent(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var category = DefaultCategory;
        var properties = new List<KeyValuePair<string, object?>>(logEvent.Properties.Count);
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name == SourceContext && value is ScalarValue { Value: string context })
            {
                category = context;
                continue;
            }

            // Scalars keep their type; sequences and structures travel as Serilog renders them.
            properties.Add(new(name, value is ScalarValue scalar ? scalar.Value : value.ToString(null, CultureInfo.InvariantCulture)));
        }

        var template = logEvent.MessageTemplate.Text;
        return new WorkerLogEvent(
            logEvent.Timestamp,
            (WorkerLogLevel)logEvent.Level,
            category,
            TemplateId(template),
            RenderMessage(logEvent),
            template,
            properties,
            logEvent.Exception?.ToString());
    }

    private static string RenderMessage(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        s_message.Format(logEvent, text);
        return text.ToString();
    }

    /// <summary>FNV-1a of the template's text: the same message template gives the same event id in every run.</summary>
    private static int TemplateId(string template)
    {
        var hash = 2166136261u;
        foreach (var character in template)
        {
            hash = (hash ^ character) * 16777619u;
        }

        return (int)(hash & int.MaxValue);
    }
}
