namespace Haven;

/// <summary>
/// A problem the person running Haven can put right (a setting, a file, the data folder, a busy port). It is printed as
/// it is, with its details and a hint, and never with a stack trace: that is kept for real bugs. Its text never holds
/// personal data.
/// </summary>
public class HavenException(string message, IReadOnlyList<string>? details = null, string? hint = null) : Exception(message)
{
    /// <summary>Each problem found, one line each (for an import: the file and line or record).</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>What to do about it, in one line.</summary>
    public string? Hint { get; } = hint;
}
