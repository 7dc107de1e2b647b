using System.Text;
using Haven.Features.Relief;

namespace Haven.Tests.Engines;

/// <summary>The record CSV and the bulk screener, in memory: bad files stop with a named problem, bad rows are skipped and counted.</summary>
public class RecordCsvTests
{
    static readonly DateOnly AsOf = new(2026, 11, 1);
    static readonly string Header = string.Join(',', RecordCsv.Columns);
    const string Good = "r1,P1,NY,Kings,CR-1,2015-03-01,PL 230.00,misdemeanor,convicted,2015-03-02,2015-03-02,,,documented,2014-01-01,2016-01-01";

    static (ScreenSummary Summary, string Output, List<string> Rejected) Screen(string csv, string jurisdictions = "NY")
    {
        var output = new StringWriter();
        var rejected = new List<string>();
        var summary = BulkScreener.Screen(new StringReader(csv), output, rejected.Add, ReliefRuleFiles.BuiltIn,
            jurisdictions.Split(',').ToHashSet(), AsOf);
        return (summary, output.ToString(), rejected);
    }

    static string Csv(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    [Fact]
    public void A_good_file_gives_one_result_row_per_relief_with_reasons_and_provisions()
    {
        var (summary, output, rejected) = Screen(Csv(Good, Good.Replace("r1,", "r2,").Replace("convicted,2015-03-02,2015-03-02", "dismissed,2015-03-02,")));
        Assert.Empty(rejected);
        Assert.Equal(2, summary.Rows);
        Assert.Equal(1, summary.People);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal("record_id,relief,outcome,reasons,provisions", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("r1,ny-vacatur,eligible,", StringComparison.Ordinal) && l.EndsWith(",CPL 440.10(1)(i)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("r2,ny-favorable-sealing,already_sealed,", StringComparison.Ordinal));
        Assert.Equal(summary.Findings, lines.Length - 1);
        Assert.Contains("already_sealed", BulkScreener.Describe(summary));
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_line_breaks()
    {
        var row = "r1,P1,NY,\"Kings County, Part \"\"AP\"\"\",\"CR-1\n(second line)\",2015-03-01,pl230.00,Misdemeanor,CONVICTED,2015-03-02,2015-03-02,,,none,,";
        var records = RecordCsv.Read(new StringReader(Csv(row, Good.Replace("r1,", "r2,"))), AsOf, ReliefRuleFiles.BuiltIn.KnowsSection).ToList();
        var first = Assert.Single(records, r => r.Record?.RecordId == "r1").Record!;
        Assert.Equal("Kings County, Part \"AP\"", first.Court);
        Assert.Equal("CR-1\n(second line)", first.Docket);
        Assert.Equal("PL 230.00", first.OffenseSection);
        Assert.Equal(4, records.Single(r => r.Record?.RecordId == "r2").Line); // line numbers count the break inside quotes
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("record_id;person_ref;jurisdiction\n", "separated by ';'")]
    [InlineData("record_id\tperson_ref\tjurisdiction\n", "separated by tabs")]
    [InlineData("record_id,person_ref,jurisdiction\n", "missing column(s): court, docket")]
    [InlineData("HEADER,shoe_size\n", "unknown column(s): shoe_size")]
    public void A_file_with_the_wrong_shape_is_refused_with_the_problem_named(string csv, string expected) =>
        Assert.Contains(expected, Assert.Throws<RecordCsvException>(() => Screen(csv.Replace("HEADER", Header))).Message);

    [Fact]
    public void A_file_not_in_utf8_is_refused()
    {
        var utf16 = Encoding.Unicode.GetBytes(Csv(Good));
        Assert.Contains("UTF-16", Assert.Throws<RecordCsvException>(() => ReadBytes(utf16)).Message);
        var latin1 = Encoding.Latin1.GetBytes(Csv(Good.Replace("Kings", "Peñasco")));
        Assert.Contains("is not UTF-8 text", Assert.Throws<RecordCsvException>(() => ReadBytes(latin1)).Message);
    }

    static List<RecordRow> ReadBytes(byte[] bytes)
    {
        using var reader = RecordCsv.OpenText(new MemoryStream(bytes));
        return [.. RecordCsv.Read(reader, AsOf, ReliefRuleFiles.BuiltIn.KnowsSection)];
    }

    [Theory]
    [InlineData("2015-13-01", "arrest_date '2015-13-01' is not a date")]
    [InlineData("03/01/2015", "arrest_date '03/01/2015' is not a date")]
    [InlineData("2027-03-01", "arrest_date 2027-03-01 is after the as-of date 2026-11-01")]
    [InlineData("2016-03-01", "disposition_date 2015-03-02 is before arrest_date 2016-03-01")]
    public void Impossible_dates_are_rejected_by_line(string arrest, string expected)
    {
        var (summary, _, rejected) = Screen(Csv(Good.Replace("2015-03-01", arrest), Good.Replace("r1,P1", "r2,P2")));
        Assert.Equal(1, summary.Rejected);
        Assert.StartsWith("line 2: " + expected, rejected.Single());
        Assert.Equal(1, summary.People); // the good row still ran
    }

    [Theory]
    [InlineData("PL 999.10", "offense_section 'PL 999.10' is not a section the NY rules know")]
    [InlineData("Section 12", "offense_section 'SECTION 12' is not a section")]
    [InlineData("", "offense_section is empty")]
    public void Unknown_statute_sections_are_rejected(string section, string expected) =>
        Assert.Contains(expected, Screen(Csv(Good.Replace("PL 230.00", section))).Rejected.Single());

    [Theory]
    [InlineData("misdemeanor", "felony-Z", "offense_level 'felony-Z' is not one of")]
    [InlineData("convicted,2015-03-02", "guilty,2015-03-02", "disposition 'guilty' is not one of")]
    [InlineData("documented", "maybe", "trafficking_nexus 'maybe' is not one of")]
    [InlineData(",NY,", ",CA,", "not a section the CA rules know")]
    [InlineData("r1,", ",", "record_id is empty")]
    [InlineData(",2014-01-01,2016-01-01", ",2016-01-01,2014-01-01", "victim_until 2014-01-01 is before victim_from 2016-01-01")]
    [InlineData("convicted,2015-03-02,2015-03-02", "dismissed,2015-03-02,2015-03-02", "a sentence or release date on a charge that is dismissed")]
    [InlineData(",2016-01-01", ",2016-01-01,extra", "17 fields where the header has 16")]
    public void Bad_rows_are_rejected_with_the_field_named_and_the_run_goes_on(string from, string to, string expected)
    {
        var (summary, output, rejected) = Screen(Csv(Good.Replace("r1,P1", "r0,P0"), Good.Replace(from, to), Good.Replace("r1,P1", "r2,P2")));
        Assert.Contains(expected, Assert.Single(rejected));
        Assert.StartsWith("line 3: ", rejected[0]);
        Assert.Equal((3, 1, 2), (summary.Rows, summary.Rejected, summary.People));
        Assert.Contains("r2,ny-vacatur", output);
    }

    [Fact]
    public void A_file_not_grouped_by_person_is_refused_and_a_grouped_unsorted_one_is_not()
    {
        var split = Csv(Good.Replace("r1,P1", "a,P5"), Good.Replace("r1,P1", "b,P2"), Good.Replace("r1,P1", "c,P5"));
        var error = Assert.Throws<NotGroupedException>(() => Screen(split));
        Assert.Equal((2, 4), (error.FirstLine, error.LaterLine));
        Assert.Contains("not grouped by person_ref", error.Message);

        var grouped = Csv(Good.Replace("r1,P1", "a,P5"), Good.Replace("r1,P1", "b,P5"), Good.Replace("r1,P1", "c,P2"));
        Assert.Equal(2, Screen(grouped).Summary.People);
    }

    [Fact]
    public void Rows_of_other_jurisdictions_stay_with_the_person_but_are_not_screened()
    {
        var federal = "f1,P1,US,EDNY,1:15-cr-1,2015-03-01,18 USC 1952,felony-E,convicted,2015-05-01,2015-05-01,,,claimed,2014-01-01,2016-01-01";
        var (summary, output, _) = Screen(Csv(Good, federal));
        Assert.Equal(1, summary.NotScreened);
        Assert.DoesNotContain("us-vacatur", output);
        Assert.Contains("f1,us-vacatur-3771a,needs_review", Screen(Csv(Good, federal), "NY,US").Output);
    }
}
