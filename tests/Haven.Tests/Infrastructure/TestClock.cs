namespace Haven.Tests.Infrastructure;

/// <summary>Real time plus an offset the test can move forward (for single-use TOTP codes and expiry).</summary>
public sealed class TestClock : TimeProvider
{
    TimeSpan offset;
    readonly Lock gate = new();

    public override DateTimeOffset GetUtcNow() { lock (gate) return base.GetUtcNow() + offset; }

    public void Advance(TimeSpan by) { lock (gate) offset += by; }
}
