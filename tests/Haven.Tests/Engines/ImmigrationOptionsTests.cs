using Haven.Features.Relief;

namespace Haven.Tests.Engines;

/// <summary>Immigration options from recorded facts. All people here are invented.</summary>
public class ImmigrationOptionsTests
{
    static readonly ImmigrationOptions Engine = ImmigrationOptions.BuiltIn;
    static readonly DateOnly AsOf = new(2026, 11, 1);

    static OptionResult Option(string id, params (string Fact, string Value)[] facts)
    {
        var answers = facts.ToDictionary(f => f.Fact, f => f.Value);
        Assert.Empty(Engine.Problems(answers, AsOf));
        return Engine.Evaluate(answers, AsOf).Single(o => o.Id == id);
    }

    [Fact]
    public void A_labor_trafficking_survivor_who_could_not_assist_because_of_trauma_meets_every_t_visa_element()
    {
        var t = Option("t-visa", ("trafficking-labor", "yes"), ("present-on-account", "yes"), ("requests-complied", "no"), ("trauma-exemption", "yes"), ("extreme-hardship", "yes"));
        Assert.All(t.Elements, e => Assert.Equal(ElementState.Met, e.State));
        Assert.Equal(OptionOutcome.NeedsReview, t.Outcome); // hardship is weighed by the adjudicator
        Assert.Contains(t.Evidence, e => e.Contains("optional evidence", StringComparison.Ordinal));
        // Unknown facts are unknown, never guessed.
        var unknown = Option("t-visa", ("trafficking-sex", "yes"));
        Assert.Equal(ElementState.Unknown, unknown.Elements[1].State);
        Assert.Equal(OptionOutcome.NeedsReview, unknown.Outcome);
        Assert.Equal(OptionOutcome.NotMet, Option("t-visa", ("trafficking-sex", "no"), ("trafficking-labor", "no"), ("minor-commercial-sex", "no")).Outcome);
    }

    [Fact]
    public void Nothing_says_help_depends_on_cooperating_with_law_enforcement()
    {
        var text = string.Join('\n', Engine.Rules.Options.SelectMany(o => o.Elements.SelectMany(e => e.Evidence.Append(e.Label)).Append(o.Name).Append(o.DependsOn ?? "")));
        Assert.DoesNotContain("cooperat", text, StringComparison.OrdinalIgnoreCase);
        var cp = Option("continued-presence", ("trafficking-sex", "yes"));
        Assert.Equal(OptionOutcome.Possible, cp.Outcome);
        Assert.Contains("Only federal law enforcement can request", cp.DependsOn);
        Assert.Contains("nothing else here requires it", cp.DependsOn);
        // A minor in commercial sex needs no force, fraud or coercion, and no assistance to anyone.
        var minor = Option("t-visa", ("minor-commercial-sex", "yes"), ("under-18-at-trafficking", "yes"), ("present-on-account", "yes"), ("extreme-hardship", "yes"));
        Assert.All(minor.Elements, e => Assert.Equal(ElementState.Met, e.State));
    }

    [Fact]
    public void A_u_visa_certification_is_good_for_six_months_with_a_countdown()
    {
        var fresh = Option("u-visa", ("qualifying-crime", "yes"), ("substantial-abuse", "yes"), ("has-information", "yes"), ("helpful", "yes"), ("certification-signed", "2026-07-01"));
        Assert.Equal(OptionOutcome.NeedsReview, fresh.Outcome);
        Assert.Equal(new OptionDeadline(new DateOnly(2027, 1, 1), "U visa: file before the certification's six months run out", 61), Assert.Single(fresh.Deadlines));
        var stale = Option("u-visa", ("qualifying-crime", "yes"), ("certification-signed", "2026-01-01"));
        Assert.Equal(OptionOutcome.NotMet, stale.Outcome);
        Assert.Empty(stale.Deadlines);
    }

    [Fact]
    public void Asylum_has_one_year_from_the_last_arrival_and_unaccompanied_children_are_exempt()
    {
        var recent = Option("asylum", ("fear-of-persecution", "yes"), ("last-arrival", "2026-03-01"));
        Assert.Equal(new OptionDeadline(new DateOnly(2027, 3, 1), "Asylum: one year from the last arrival", 120), Assert.Single(recent.Deadlines));
        Assert.Equal(OptionOutcome.NotMet, Option("asylum", ("fear-of-persecution", "yes"), ("last-arrival", "2020-03-01"), ("changed-circumstances", "no"), ("unaccompanied-child", "no")).Outcome);
        Assert.Equal(ElementState.Met, Option("asylum", ("last-arrival", "2020-03-01"), ("unaccompanied-child", "yes")).Elements[1].State);
    }

    [Fact]
    public void Vawa_allows_two_years_after_a_divorce_and_a_child_until_25_when_the_abuse_delayed_filing()
    {
        var spouse = Option("vawa-spouse", ("abuser-spouse", "yes"), ("battery-or-cruelty", "yes"), ("resided-with-abuser", "yes"), ("divorced-from-abuser", "yes"), ("divorce-date", "2025-06-01"), ("good-faith-marriage", "yes"));
        Assert.Equal("VAWA: two years after the divorce", Assert.Single(spouse.Deadlines).What);
        Assert.Equal(OptionOutcome.NeedsReview, spouse.Outcome);
        Assert.Equal(OptionOutcome.NotMet, Option("vawa-spouse", ("abuser-spouse", "yes"), ("divorced-from-abuser", "yes"), ("divorce-date", "2023-06-01")).Outcome);

        var child = Option("vawa-child", ("abuser-parent", "yes"), ("battery-or-cruelty", "yes"), ("resided-with-abuser", "yes"), ("date-of-birth", "2004-05-01"), ("married", "no"), ("abuse-delayed-filing", "yes"));
        Assert.Equal(OptionOutcome.Possible, child.Outcome);
        Assert.Equal(new DateOnly(2029, 5, 1), Assert.Single(child.Deadlines).Due);
        Assert.Equal(OptionOutcome.NotMet, Option("vawa-child", ("abuser-parent", "yes"), ("date-of-birth", "2004-05-01"), ("married", "no"), ("abuse-delayed-filing", "no")).Outcome);
    }

    [Fact]
    public void Sijs_counts_down_to_the_21st_birthday()
    {
        var sijs = Option("sijs", ("date-of-birth", "2006-01-15"), ("married", "no"), ("juvenile-court-findings", "yes"));
        Assert.Equal(OptionOutcome.Possible, sijs.Outcome);
        Assert.Equal(new OptionDeadline(new DateOnly(2027, 1, 15), "SIJS: file before the 21st birthday", 75), Assert.Single(sijs.Deadlines));
        Assert.Equal(OptionOutcome.NotMet, Option("sijs", ("date-of-birth", "2004-01-15"), ("married", "no")).Outcome);
    }

    [Fact]
    public void The_prostitution_ground_is_flagged_with_the_waiver_for_each_option()
    {
        var flagged = Engine.Evaluate(new Dictionary<string, string> { ["prostitution-last-10-years"] = "yes" }, AsOf);
        // Grounds not asked about yet are flagged too, as unknown, so the attorney asks.
        var t = Assert.Single(flagged.Single(o => o.Id == "t-visa").Grounds, g => g.Known);
        Assert.Equal(("INA 212(a)(2)(D)(i)", "INA 212(d)(13)", true), (t.Provision, t.Waiver, t.Known));
        Assert.Contains("101(f)(3)", Assert.Single(flagged.Single(o => o.Id == "vawa-spouse").Grounds, g => g.Known).Waiver);
        // Not asked yet: flagged so the attorney asks; answered no: not flagged.
        Assert.Contains(Engine.Evaluate(new Dictionary<string, string>(), AsOf).Single(o => o.Id == "t-visa").Grounds, g => g.Provision == "INA 212(a)(2)(D)(i)" && !g.Known);
        Assert.DoesNotContain(Engine.Evaluate(new Dictionary<string, string> { ["prostitution-last-10-years"] = "no" }, AsOf).Single(o => o.Id == "t-visa").Grounds, g => g.Provision == "INA 212(a)(2)(D)(i)");
    }

    [Fact]
    public void Bad_facts_are_named()
    {
        var problems = Engine.Problems(new Dictionary<string, string>
        {
            ["shoe-size"] = "41",
            ["helpful"] = "maybe",
            ["last-arrival"] = "last spring",
            ["date-of-birth"] = "2030-01-01",
        }, AsOf);
        Assert.Contains("not a fact", problems["shoe-size"]);
        Assert.Contains("yes, no or unknown", problems["helpful"]);
        Assert.Contains("YYYY-MM-DD", problems["last-arrival"]);
        Assert.Contains("after 2026-11-01", problems["date-of-birth"]);
    }

    [Theory]
    [InlineData("""{ "fact": "nope" }""", "unknown fact 'nope'")]
    [InlineData("""{ "fact": "last-arrival" }""", "fact 'last-arrival' is a date")]
    [InlineData("""{ "fact": "helpful", "within_years": 1 }""", "fact 'helpful' is a yes-no")]
    [InlineData("""{ "fact": "helpful", "all": [] }""", "exactly one of fact, all, any or not")]
    public void A_mistaken_immigration_rule_file_is_refused(string condition, string expected)
    {
        var json = $$"""
            { "name": "n", "encodes": "e", "grounds": [],
              "facts": [{ "id": "helpful", "kind": "yes-no", "question": "q" }, { "id": "last-arrival", "kind": "date", "question": "q" }],
              "options": [{ "id": "o", "name": "n", "provision": "p", "text": "t", "source": "s", "elements": [{ "label": "l", "when": {{condition}} }] }] }
            """;
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ImmigrationOptions.Parse(json, "x.json")).Message);
    }
}
