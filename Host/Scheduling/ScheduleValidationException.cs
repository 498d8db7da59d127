namespace SimHost.Host.Scheduling;

/// <summary>Thrown by <see cref="ScheduleBuilder.Build"/> with every problem found in the registered systems.</summary>
public sealed class ScheduleValidationException : Exception
{
    /// <summary>Creates the exception for a list of problems, each one line naming the systems involved.</summary>
    public ScheduleValidationException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for a single problem.</summary>
    public ScheduleValidationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception for a single problem caused by <paramref name="innerException"/>.</summary>
    public ScheduleValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ScheduleValidationException()
        : this("The schedule is invalid.")
    {
    }

    /// <summary>Every problem found, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? $"The schedule is invalid: {errors[0]}"
            : $"The schedule is invalid ({errors.Count} problems):{Environment.NewLine}  - "
              + string.Join(Environment.NewLine + "  - ", errors);
}
