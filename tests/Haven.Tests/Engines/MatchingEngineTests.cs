using Haven.Features.ServiceDirectory;

namespace Haven.Tests.Engines;

public sealed class MatchingEngineTests
{
    static readonly DateTime Now = new(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc);

    static MatchCandidate Candidate(string id, double? km = 1, string[]? needs = null, string[]? attributes = null, string[]? languages = null,
        Capacity? capacity = null, OpeningHours[]? hours = null, int? min = null, int? max = null, DateTime? verified = null) =>
        new(id, "Service " + id, "Ashford, North State", (needs ?? ["housing"]).ToHashSet(), (attributes ?? []).ToHashSet(), (languages ?? ["en"]).ToHashSet(),
            min, max, km * 1000, km is null, hours ?? [], capacity, verified ?? Now.AddDays(-1), null);

    [Fact]
    public void A_match_says_what_it_meets_how_far_and_how_fresh_its_capacity_is()
    {
        var outcome = MatchingEngine.Rank(
            [Candidate("a", 2.3, attributes: ["haven:no-id-required"], languages: ["en", "es"], capacity: new Capacity(3, 10, "beds", Now.AddHours(-2)))],
            new MatchRequest(["housing"], ["es"], ["haven:no-id-required"], RadiusMetres: 25_000, NeedsCapacity: true), Now, TimeSpan.FromDays(180));
        Assert.Equal("meets: housing or a safe place to stay, Spanish, no ID required; 2.3 km; 3 beds free, updated 2 hours ago", Assert.Single(outcome.Matches).Explanation);
    }

    [Fact]
    public void Close_candidates_left_out_say_the_one_thing_they_lack()
    {
        var outcome = MatchingEngine.Rank(
        [
            Candidate("fits", 5, languages: ["es"]),
            Candidate("no-spanish", 1),
            Candidate("too-far", 30, languages: ["es"]),
            Candidate("full", 2, languages: ["es"], capacity: new Capacity(0, 8, "beds", Now.AddDays(-3))),
            Candidate("wrong-need", 1, needs: ["health"], languages: ["es"]),
            Candidate("adults-only", 1, languages: ["es"], min: 18),
            Candidate("two-things", 1, attributes: [], languages: ["en"], min: 18),
        ], new MatchRequest(["housing"], ["es"], [], Age: 16, RadiusMetres: 25_000, NeedsCapacity: true), Now, TimeSpan.FromDays(180));

        Assert.Equal(["fits"], outcome.Matches.Select(m => m.Service.ServiceId));
        var reasons = outcome.LeftOut.ToDictionary(l => l.Service.ServiceId, l => Assert.Single(l.Reasons));
        Assert.Equal("no Spanish", reasons["no-spanish"]);
        Assert.Equal("30 km away, beyond 25 km", reasons["too-far"]);
        Assert.Equal("no beds free (updated 3 days ago)", reasons["full"]);
        Assert.Equal("serves ages 18 to any", reasons["adults-only"]);
        // A service meeting none of the needs is not "close", and neither is one that lacks two things.
        Assert.DoesNotContain("wrong-need", reasons.Keys);
        Assert.DoesNotContain("two-things", reasons.Keys);
    }

    [Fact]
    public void More_needs_met_rank_first_then_nearer_and_unverified_listings_are_flagged_stale()
    {
        var outcome = MatchingEngine.Rank(
        [
            Candidate("near-one-need", 1),
            Candidate("far-two-needs", 9, needs: ["housing", "health"], verified: Now.AddDays(-400)),
            Candidate("mid-one-need", 4),
            Candidate("safe-house", null),
        ], new MatchRequest(["housing", "health"], [], []), Now, TimeSpan.FromDays(180));
        Assert.Equal(["far-two-needs", "near-one-need", "mid-one-need", "safe-house"], outcome.Matches.Select(m => m.Service.ServiceId));
        Assert.True(outcome.Matches[0].Stale);
        Assert.False(outcome.Matches[1].Stale);
        Assert.Contains("confidential location in Ashford, North State", outcome.Matches[3].Explanation);
    }

    [Theory]
    [InlineData("MO,TU,WE,TH,FR", "09:00", "17:00", "2026-11-23T14:00", true)]  // Monday afternoon
    [InlineData("MO,TU,WE,TH,FR", "09:00", "17:00", "2026-11-22T14:00", false)] // Sunday
    [InlineData("MO,TU,WE,TH,FR", "09:00", "17:00", "2026-11-23T18:30", false)]
    [InlineData("FR,SA", "20:00", "04:00", "2026-11-22T02:00", true)]            // early Sunday, after Saturday night
    [InlineData("FR,SA", "20:00", "04:00", "2026-11-23T02:00", false)]           // early Monday, Sunday is not listed
    public void Weekly_hours_include_nights_that_run_past_midnight(string days, string opens, string closes, string at, bool open)
    {
        var hours = OpeningHours.Parse("WEEKLY", days, opens, closes)!;
        Assert.Equal(open, hours.IsOpen(DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_service_closed_at_the_time_asked_is_left_out_and_one_without_listed_hours_says_so()
    {
        var weekdays = OpeningHours.Parse("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")!;
        var outcome = MatchingEngine.Rank([Candidate("weekdays", 1, hours: [weekdays]), Candidate("unknown", 2)],
            new MatchRequest(["housing"], [], [], OpenAt: new DateTime(2026, 11, 22, 10, 0, 0)), Now, TimeSpan.FromDays(180));
        Assert.Equal("closed at Sunday 10:00", Assert.Single(Assert.Single(outcome.LeftOut).Reasons));
        Assert.EndsWith("hours not listed", Assert.Single(outcome.Matches).Explanation);
    }

    [Theory]
    [InlineData("DAILY", "MO", "09:00", "17:00")]
    [InlineData("WEEKLY", "XX", "09:00", "17:00")]
    [InlineData("WEEKLY", "MO", "nine", "17:00")]
    public void Schedules_that_say_no_weekly_hours_are_ignored(string freq, string days, string opens, string closes) =>
        Assert.Null(OpeningHours.Parse(freq, days, opens, closes));
}
