namespace SimHost.Host.Inspecting;

/// <summary>One broken rule found by <c>simhost inspect</c>: the file, the rule's name and what is wrong.</summary>
internal sealed record InspectionProblem(string File, string Rule, string Message);
