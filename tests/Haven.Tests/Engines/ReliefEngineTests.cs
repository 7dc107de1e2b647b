using Haven.Features.Relief;

namespace Haven.Tests.Engines;

/// <summary>
/// Each rule tested from the text it encodes, and invented cases shaped like three published New York vacatur
/// decisions. All people here are invented.
/// </summary>
public class ReliefEngineTests
{
    static readonly ReliefEngine Engine = ReliefRuleFiles.BuiltIn;
    static readonly DateOnly AsOf = new(2026, 11, 1);

    static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    static ChargeRecord Charge(string id, string section, OffenseLevel level = OffenseLevel.Misdemeanor, Disposition disposition = Disposition.Convicted,
        string arrested = "2015-03-01", string? sentenced = "2015-06-01", string? released = null, string? supervisionEnds = null,
        TraffickingNexus nexus = TraffickingNexus.None, string? victimFrom = null, string? victimUntil = null, string jurisdiction = "NY", string person = "P1") =>
        new(id, person, jurisdiction, "Criminal Court", "CR-1", D(arrested), RecordCsv.NormalizeSection(section), level, disposition,
            disposition == Disposition.Pending ? null : D(sentenced ?? arrested), disposition == Disposition.Convicted && sentenced is not null ? D(sentenced) : null,
            released is null ? null : D(released), supervisionEnds is null ? null : D(supervisionEnds), nexus,
            victimFrom is null ? null : D(victimFrom), victimUntil is null ? null : D(victimUntil));

    static ReliefFinding Find(IEnumerable<ChargeRecord> person, string record, string relief, DateOnly? asOf = null, DateOnly? born = null) =>
        Assert.Single(Engine.Evaluate([.. person], asOf ?? AsOf, born), f => f.RecordId == record && f.Relief == relief);

    [Fact]
    public void Every_rule_file_loads_and_names_the_text_it_encodes()
    {
        Assert.Equal(["NY", "US"], Engine.Jurisdictions.Order());
        foreach (var file in Engine.Files)
        {
            Assert.False(string.IsNullOrWhiteSpace(file.Encodes));
            Assert.All(file.Reliefs, r => Assert.False(string.IsNullOrWhiteSpace(r.Text + r.Source + r.Provision)));
        }
        Assert.True(Engine.KnowsSection("NY", "PL 230.00"));
        Assert.True(Engine.KnowsSection("NY", "VTL 511"));
        Assert.True(Engine.KnowsSection("US", "18 USC 1591"));
        Assert.False(Engine.KnowsSection("NY", "PL 999.10"));
        Assert.False(Engine.KnowsSection("NY", "XYZ 12"));
        Assert.False(Engine.KnowsSection("CA", "PC 647"));
    }

    [Theory]
    [InlineData("""{ "jurisdiction": "X", "name": "n", "encodes": "e", "sections": {}, "reliefs": [{ "id": "a", "name": "n", "provision": "p", "text": "t", "source": "s", "result": { "test": "guess" } }] }""", "unknown test 'guess'")]
    [InlineData("""{ "jurisdiction": "X", "name": "n", "encodes": "e", "sections": {}, "reliefs": [{ "id": "a", "name": "n", "provision": "p", "text": "t", "source": "s", "result": { "test": "always", "outcome": "maybe" } }] }""", "'maybe' is not an outcome")]
    [InlineData("""{ "jurisdiction": "X", "name": "n", "encodes": "e", "sections": {}, "reliefs": [{ "id": "a", "name": "n", "provision": "p", "text": "t", "source": "s", "checks": [{ "test": "in_force" }], "result": { "test": "always" } }] }""", "in_force needs the relief's effective date")]
    [InlineData("""{ "jurisdiction": "X", "name": "n", "encodes": "e", "sections": {}, "reliefs": [], "colour": "red" }""", "colour")]
    [InlineData("""{ "jurisdiction": "X" """, "Rule file bad.json")]
    public void A_mistaken_rule_file_is_refused_with_the_problem_named(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ReliefRuleFiles.Parse(json, "bad.json")).Message);

    [Fact]
    public void Cases_ending_in_the_persons_favour_and_violations_are_already_sealed()
    {
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([Charge("r1", "PL 155.25", disposition: Disposition.Dismissed)], "r1", "ny-favorable-sealing").Outcome);
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([Charge("r1", "PL 155.25", disposition: Disposition.Acquitted)], "r1", "ny-favorable-sealing").Outcome);
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([Charge("r1", "PL 221.05", OffenseLevel.Violation)], "r1", "ny-noncriminal-sealing").Outcome);
        // A dismissed charge is not a conviction, so neither vacatur nor sealing on application is offered.
        Assert.Single(Engine.Evaluate([Charge("r1", "PL 155.25", disposition: Disposition.Dismissed)], AsOf));
    }

    [Fact]
    public void An_acd_is_dismissed_and_sealed_six_months_on_with_the_date_as_a_deadline()
    {
        var acd = Charge("r1", "PL 140.10", disposition: Disposition.Acd, arrested: "2026-07-01", sentenced: "2026-08-01");
        var pending = Find([acd], "r1", "ny-acd");
        Assert.Equal(ReliefOutcome.Eligible, pending.Outcome);
        Assert.Equal(new ReliefDeadline(D("2027-02-01"), "Check that the ACD case was dismissed and sealed"), pending.Deadline);
        Assert.Contains("1 February 2027", pending.Reasons[^1]);
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([acd], "r1", "ny-acd", D("2027-03-01")).Outcome);
    }

    [Fact]
    public void Loitering_for_prostitution_was_repealed_and_sealed_in_2021_but_can_still_be_vacated()
    {
        var loitering = Charge("r1", "PL 240.37", OffenseLevel.Violation, arrested: "2016-05-01", sentenced: "2016-05-02");
        var sealedNow = Find([loitering], "r1", "ny-240.37-repeal");
        Assert.Equal(ReliefOutcome.AlreadySealed, sealedNow.Outcome);
        Assert.Contains("a motion under CPL 440.10(1)(i) can still vacate it", sealedNow.Reasons[^1]);
        var before = Find([loitering], "r1", "ny-240.37-repeal", D("2020-06-01"));
        Assert.Equal(ReliefOutcome.NotEligible, before.Outcome);
        Assert.Contains("2 February 2021", before.Reasons[^1]);
    }

    [Fact]
    public void Vacatur_needs_a_tie_to_trafficking_and_documentation_creates_a_presumption()
    {
        const string from = "2014-01-01", until = "2016-12-31";
        var none = Find([Charge("r1", "PL 155.25")], "r1", "ny-vacatur");
        Assert.Equal(ReliefOutcome.NotEligible, none.Outcome);
        Assert.Contains("no tie between this charge and trafficking", none.Reasons[^1]);

        var claimed = Find([Charge("r1", "PL 155.25", nexus: TraffickingNexus.Claimed, victimFrom: from, victimUntil: until)], "r1", "ny-vacatur");
        Assert.Equal(ReliefOutcome.NeedsReview, claimed.Outcome);
        Assert.Contains("CPL 440.10(1)(i)(ii)", claimed.Provisions);
        Assert.Contains("would create a presumption", claimed.Reasons[^1]);

        var documented = Find([Charge("r1", "PL 155.25", nexus: TraffickingNexus.Documented, victimFrom: from, victimUntil: until)], "r1", "ny-vacatur");
        Assert.Equal(ReliefOutcome.Eligible, documented.Outcome);
        Assert.Contains(documented.Reasons, r => r.Contains("creates a presumption", StringComparison.Ordinal));
        Assert.Contains("PL 155.25", documented.Reasons[^1]);
        Assert.Contains("under seal", documented.Reasons[^1]);

        // Outside the recorded time of the trafficking, or with no dates, the court's question needs an attorney.
        Assert.Equal(ReliefOutcome.NeedsReview, Find([Charge("r1", "PL 155.25", arrested: "2019-02-01", sentenced: "2019-03-01", nexus: TraffickingNexus.Documented, victimFrom: from, victimUntil: until)], "r1", "ny-vacatur").Outcome);
        var undated = Find([Charge("r1", "PL 155.25", nexus: TraffickingNexus.Documented)], "r1", "ny-vacatur");
        Assert.Equal(ReliefOutcome.NeedsReview, undated.Outcome);
        Assert.Contains("dates of the trafficking are not given", undated.Reasons[^1]);

        // Before the START Act took effect, only prostitution offenses could be vacated: an attorney must look.
        Assert.Equal(ReliefOutcome.NeedsReview, Find([Charge("r1", "PL 155.25", nexus: TraffickingNexus.Documented, victimFrom: from, victimUntil: until)], "r1", "ny-vacatur", D("2021-06-01")).Outcome);
    }

    [Fact]
    public void Sealing_on_application_has_limits_and_then_is_for_the_court_to_decide()
    {
        var old = Charge("r1", "PL 155.30", OffenseLevel.FelonyE, arrested: "2010-01-01", sentenced: "2010-06-01");
        var thresholds = Find([old], "r1", "ny-sealing-160.59");
        Assert.Equal(ReliefOutcome.NeedsReview, thresholds.Outcome);
        Assert.Contains("at the court's discretion", thresholds.Reasons[^1]);

        var three = new[] { old, Charge("r2", "PL 155.25", arrested: "2011-01-01", sentenced: "2011-02-01"), Charge("r3", "PL 165.40", arrested: "2012-01-01", sentenced: "2012-02-01") };
        Assert.Contains("more than two convictions", Find(three, "r1", "ny-sealing-160.59").Reasons[^1]);
        var twoFelonies = new[] { old, Charge("r2", "PL 140.25", OffenseLevel.FelonyC, arrested: "2011-01-01", sentenced: "2011-02-01") };
        Assert.Equal(ReliefOutcome.NotEligible, Find(twoFelonies, "r1", "ny-sealing-160.59").Outcome);
        Assert.Contains("class A felony", Find([Charge("r1", "PL 220.18", OffenseLevel.FelonyA, arrested: "2010-01-01", sentenced: "2010-06-01")], "r1", "ny-sealing-160.59").Reasons[^1]);
        Assert.Contains("PL 130.52 is excluded", Find([Charge("r1", "PL 130.52", arrested: "2010-01-01", sentenced: "2010-06-01")], "r1", "ny-sealing-160.59").Reasons[^1]);
        Assert.Contains("still pending", Find([old, Charge("r2", "PL 155.25", disposition: Disposition.Pending, arrested: "2026-09-01")], "r1", "ny-sealing-160.59").Reasons[^1]);

        // Ten years run from the latest sentence or release.
        var recent = Find([Charge("r1", "PL 155.25", arrested: "2017-01-01", sentenced: "2017-02-01", released: "2017-08-15")], "r1", "ny-sealing-160.59");
        Assert.Equal(ReliefOutcome.NotEligible, recent.Outcome);
        Assert.Equal(D("2027-08-15"), recent.Deadline!.Due);
        Assert.Contains("15 August 2027", recent.Reasons[^1]);
        var undated = Charge("r1", "PL 155.25", arrested: "2010-01-01", sentenced: null);
        Assert.Equal(ReliefOutcome.NeedsReview, Find([undated], "r1", "ny-sealing-160.59").Outcome);
    }

    [Fact]
    public void Clean_slate_seals_after_three_or_eight_years_and_a_later_conviction_starts_the_count_again()
    {
        var misdemeanor = Charge("r1", "PL 155.25", arrested: "2019-12-01", sentenced: "2020-01-10");
        var waiting = Find([misdemeanor], "r1", "ny-clean-slate");
        Assert.Equal(ReliefOutcome.NeedsReview, waiting.Outcome); // due, and the courts have until 16 November 2027
        Assert.Contains("16 November 2027", waiting.Reasons[^1]);
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([misdemeanor], "r1", "ny-clean-slate", D("2028-01-01")).Outcome);

        var felony = Find([Charge("r1", "PL 155.30", OffenseLevel.FelonyE, arrested: "2019-12-01", sentenced: "2020-01-10")], "r1", "ny-clean-slate");
        Assert.Equal(ReliefOutcome.NotEligible, felony.Outcome);
        Assert.Equal(new ReliefDeadline(D("2028-01-10"), "Clean Slate sealing date: check the record is sealed"), felony.Deadline);

        var later = Charge("r2", "PL 165.40", arrested: "2025-01-05", sentenced: "2025-03-01");
        var reset = Find([misdemeanor, later], "r1", "ny-clean-slate");
        Assert.Equal(ReliefOutcome.NotEligible, reset.Outcome);
        Assert.Equal(D("2028-03-01"), reset.Deadline!.Due);

        Assert.Contains("probation or parole", Find([Charge("r1", "PL 155.25", arrested: "2019-12-01", sentenced: "2020-01-10", supervisionEnds: "2026-12-31")], "r1", "ny-clean-slate").Reasons[^1]);
        Assert.Contains("sex offense", Find([Charge("r1", "PL 130.20", arrested: "2010-01-01", sentenced: "2010-02-01")], "r1", "ny-clean-slate").Reasons[^1]);
        Assert.Contains("other than drug felonies", Find([Charge("r1", "PL 135.25", OffenseLevel.FelonyA, arrested: "2000-01-01", sentenced: "2000-02-01")], "r1", "ny-clean-slate").Reasons[^1]);
        // A class A drug felony is sealed like any other felony.
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([Charge("r1", "PL 220.18", OffenseLevel.FelonyA, arrested: "2000-01-01", sentenced: "2000-02-01")], "r1", "ny-clean-slate", D("2028-01-01")).Outcome);
        Assert.Equal(ReliefOutcome.NotEligible, Find([misdemeanor], "r1", "ny-clean-slate", D("2024-06-01")).Outcome); // before the Act
    }

    [Fact]
    public void The_federal_rule_never_answers_eligible_while_the_acts_status_needs_checking()
    {
        var charge = Charge("r1", "18 USC 1952", OffenseLevel.FelonyE, jurisdiction: "US", nexus: TraffickingNexus.Documented, victimFrom: "2014-01-01", victimUntil: "2016-01-01");
        var federal = Find([charge], "r1", "us-vacatur-3771a");
        Assert.Equal(ReliefOutcome.NeedsReview, federal.Outcome);
        Assert.Contains("18 U.S.C. 3771A", federal.Provisions);
        Assert.Equal(ReliefOutcome.NotEligible, Find([charge with { Nexus = TraffickingNexus.None }], "r1", "us-vacatur-3771a").Outcome);
        Assert.DoesNotContain(Engine.Evaluate([charge], AsOf), f => f.Relief.StartsWith("ny-", StringComparison.Ordinal));
    }

    [Fact]
    public void No_outcome_ever_says_help_depends_on_cooperating_with_police()
    {
        var text = string.Join('\n', Engine.Files.SelectMany(f => f.Reliefs).SelectMany(r => r.Checks.Append(r.Result)).Select(c => c.Reason + " " + c.Met));
        Assert.DoesNotContain("cooperat", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("police report", text, StringComparison.OrdinalIgnoreCase);
    }

    // Invented cases shaped like published decisions.

    [Fact]
    public void Shaped_like_People_v_LG_2013_a_non_prostitution_conviction_is_vacated_and_years_of_delay_do_not_bar_the_motion()
    {
        // Trafficked 2001 to 2008; convicted of prostitution and of a drug possession charge during those years;
        // the motion comes years after the trafficking ended, once it was safe to bring.
        var person = new[]
        {
            Charge("lg-1", "PL 230.00", arrested: "2003-04-02", sentenced: "2003-04-03", nexus: TraffickingNexus.Documented, victimFrom: "2001-05-01", victimUntil: "2008-09-30"),
            Charge("lg-2", "PL 220.03", arrested: "2006-11-20", sentenced: "2007-01-15", nexus: TraffickingNexus.Documented, victimFrom: "2001-05-01", victimUntil: "2008-09-30"),
        };
        foreach (var id in new[] { "lg-1", "lg-2" })
        {
            var vacatur = Find(person, id, "ny-vacatur");
            Assert.Equal(ReliefOutcome.Eligible, vacatur.Outcome);
            Assert.Contains(vacatur.Reasons, r => r.Contains("due diligence", StringComparison.Ordinal) && r.Contains("safety", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Shaped_like_People_v_PV_2019_every_conviction_across_the_years_of_trafficking_is_vacated()
    {
        var years = new[] { "2008-02-11", "2009-07-03", "2010-10-19", "2012-01-27", "2013-06-08", "2014-12-01" };
        var person = years.Select((d, i) => Charge($"pv-{i}", i % 2 == 0 ? "PL 230.00" : "PL 165.40", arrested: d, sentenced: d,
            nexus: TraffickingNexus.Documented, victimFrom: "2007-09-01", victimUntil: "2015-03-31")).ToList();
        person.Add(Charge("pv-after", "PL 155.25", arrested: "2018-05-05", sentenced: "2018-05-06", nexus: TraffickingNexus.Claimed, victimFrom: "2007-09-01", victimUntil: "2015-03-31"));
        var findings = Engine.Evaluate(person, AsOf).Where(f => f.Relief == "ny-vacatur").ToList();
        Assert.All(findings.Where(f => f.RecordId != "pv-after"), f => Assert.Equal(ReliefOutcome.Eligible, f.Outcome));
        // One after the trafficking ended is not refused: an attorney weighs whether it was still a result of it.
        Assert.Equal(ReliefOutcome.NeedsReview, Assert.Single(findings, f => f.RecordId == "pv-after").Outcome);
    }

    [Fact]
    public void Shaped_like_a_loitering_conviction_at_17_a_minor_in_commercial_sex_is_a_trafficking_victim_without_more()
    {
        var born = D("1995-03-10");
        var loitering = Charge("m-1", "PL 240.37", OffenseLevel.Violation, arrested: "2012-08-14", sentenced: "2012-08-15",
            nexus: TraffickingNexus.Claimed, victimFrom: "2012-01-01", victimUntil: "2013-06-30");
        var vacatur = Find([loitering], "m-1", "ny-vacatur", born: born);
        Assert.Equal(ReliefOutcome.Eligible, vacatur.Outcome);
        Assert.Equal(ReliefOutcome.AlreadySealed, Find([loitering], "m-1", "ny-240.37-repeal", born: born).Outcome);
        // Without the birth date the same charge rests on the person's account alone.
        Assert.Equal(ReliefOutcome.NeedsReview, Find([loitering], "m-1", "ny-vacatur").Outcome);
        // An adult's charge gets no such presumption.
        Assert.Equal(ReliefOutcome.NeedsReview, Find([loitering], "m-1", "ny-vacatur", born: D("1990-01-01")).Outcome);
    }
}
