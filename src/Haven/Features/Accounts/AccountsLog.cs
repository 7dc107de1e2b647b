namespace Haven.Features.Accounts;

/// <summary>Account log messages. Parameters marked [Personal] are erased before any sink sees them.</summary>
public static partial class AccountsLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Sign-in failed for {Email} ({Reason})")]
    public static partial void SignInFailed(ILogger logger, [Personal] string email, string reason);
}
