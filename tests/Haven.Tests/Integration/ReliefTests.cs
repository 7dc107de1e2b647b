using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Deadlines;
using Haven.Features.Matters;
using Haven.Features.Relief;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>A client's relief file through real HTTP: charges by hand and by CSV, immigration facts, deadlines onto a matter.</summary>
public abstract class ReliefTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd");

    Dictionary<string, string?> Charge(string id, string section = "PL 230.00") => new()
    {
        ["record_id"] = id,
        ["jurisdiction"] = "NY",
        ["offense_section"] = section,
        ["offense_level"] = "misdemeanor",
        ["disposition"] = "convicted",
        ["arrest_date"] = Day(4000),
        ["disposition_date"] = Day(3990),
        ["sentence_date"] = Day(3990),
        ["trafficking_nexus"] = "documented",
        ["victim_from"] = Day(4500),
        ["victim_until"] = Day(3000),
    };

    static async Task<string> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task An_attorney_screens_a_clients_record_and_immigration_options_and_puts_the_deadlines_on_a_matter()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["attorneyA1"].Token);
        var client = await app.NewClientAsync(net["attorneyA1"].Token, "Relief Person Qat");
        var url = $"/api/clients/{client}/relief";

        (await api.PutAsJsonAsync(url + "/charges", Charge("c-1"), JsonBody.Json)).EnsureSuccessStatusCode();
        var csv = string.Join(',', RecordCsv.Columns) + "\n" +
            $"c-2,anything,NY,Queens,CR-2,{Day(3500)},PL 165.40,misdemeanor,convicted,{Day(3400)},{Day(3400)},,,documented,{Day(4500)},{Day(3000)}\n" +
            $"c-3,anything,NY,Queens,CR-3,{Day(200)},PL 155.25,misdemeanor,dismissed,{Day(100)},,,,none,,\n";
        (await api.PostAsync(url + "/charges/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync(url + "/immigration-facts", new Dictionary<string, string>
        {
            ["trafficking-labor"] = "yes",
            ["present-on-account"] = "yes",
            ["trauma-exemption"] = "yes",
            ["prostitution-last-10-years"] = "yes",
            ["fear-of-persecution"] = "yes",
            ["last-arrival"] = Day(100),
        }, JsonBody.Json)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync(url + "/plan", new PlanStep("ny-vacatur", "c-1", PlanStatus.Pursue), JsonBody.Json)).EnsureSuccessStatusCode();

        var view = (await api.GetFromJsonAsync<ReliefView>(url, JsonBody.Json))!;
        Assert.Equal(["c-1", "c-2", "c-3"], view.Charges.Select(c => c.Charge.RecordId));
        Assert.Equal(ReliefOutcome.Eligible, view.Charges[0].Findings.Single(f => f.Relief == "ny-vacatur").Outcome);
        Assert.Equal(ReliefOutcome.AlreadySealed, Assert.Single(view.Charges[2].Findings).Outcome);
        var t = view.Options.Single(o => o.Id == "t-visa");
        Assert.Equal(OptionOutcome.NeedsReview, t.Outcome);
        Assert.Contains(t.Grounds, g => g.Provision == "INA 212(a)(2)(D)(i)" && g.Known && g.Waiver == "INA 212(d)(13)");
        var asylum = Assert.Single(view.Deadlines, d => d.Source == "asylum");
        Assert.Equal(Today.AddDays(-100).AddYears(1), asylum.Due);
        Assert.Equal(PlanStatus.Pursue, Assert.Single(view.Plan).Status);

        // The deadlines become tasks on the matter, once.
        var matter = (await (await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Immigration, null), JsonBody.Json))
            .Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var added = await api.PostAsJsonAsync(url + "/deadlines", new DeadlinesRequest(matter), JsonBody.Json);
        Assert.Equal(view.Deadlines.Count(d => d.Due >= Today), (await added.Content.ReadFromJsonAsync<DeadlinesAdded>(JsonBody.Json))!.Added);
        Assert.Equal(0, (await (await api.PostAsJsonAsync(url + "/deadlines", new DeadlinesRequest(matter), JsonBody.Json)).Content.ReadFromJsonAsync<DeadlinesAdded>(JsonBody.Json))!.Added);
        var tasks = (await api.GetFromJsonAsync<List<DeadlineView>>("/api/deadlines", JsonBody.Json))!.Where(d => d.MatterId == matter).ToList();
        var task = Assert.Single(tasks, d => d.Details!.StartsWith("Asylum: one year from the last arrival", StringComparison.Ordinal));
        Assert.Equal(TaskKind.FilingDeadline, task.Kind);

        (await api.DeleteAsync(url + "/charges/c-3")).EnsureSuccessStatusCode();
        Assert.Equal(2, (await api.GetFromJsonAsync<ReliefView>(url, JsonBody.Json))!.Charges.Count);

        // Sealed: the stored row holds no section in clear, and every read and write is audited.
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var row = await db.ReliefFiles.SingleAsync(f => f.ClientId == client);
            Assert.DoesNotContain("230.00", Encoding.UTF8.GetString(row.SealedContent));
            var events = await db.AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync();
            Assert.Contains(AuditEventType.ReliefViewed, events);
            Assert.True(events.Count(e => e == AuditEventType.ReliefUpdated) >= 5);
            return 0;
        });

        // Another organization cannot tell the file exists.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Bad_charges_files_facts_and_requests_are_named_and_nothing_stored_changes()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["attorneyA1"].Token);
        var client = await app.NewClientAsync(net["attorneyA1"].Token, "Relief Person Vex");
        var url = $"/api/clients/{client}/relief";
        (await api.PutAsJsonAsync(url + "/charges", Charge("c-1"), JsonBody.Json)).EnsureSuccessStatusCode();
        var before = await api.GetStringAsync(url);

        var future = Charge("c-2");
        future["arrest_date"] = Today.AddDays(3).ToString("yyyy-MM-dd");
        Assert.Contains("is after the as-of date", await Problem(await api.PutAsJsonAsync(url + "/charges", future, JsonBody.Json)));
        Assert.Contains("is not a section the NY rules know", await Problem(await api.PutAsJsonAsync(url + "/charges", Charge("c-2", "PL 999.99"), JsonBody.Json)));
        var backwards = Charge("c-2");
        backwards["sentence_date"] = Day(5000);
        backwards["disposition_date"] = null;
        Assert.Contains("sentence_date", await Problem(await api.PutAsJsonAsync(url + "/charges", backwards, JsonBody.Json)));
        var extra = Charge("c-2");
        extra["shoe_size"] = "41";
        Assert.Contains("'shoe_size' is not a field of a charge", await Problem(await api.PutAsJsonAsync(url + "/charges", extra, JsonBody.Json)));
        Assert.Contains("not valid JSON", await Problem(await api.PutAsync(url + "/charges", new StringContent("{ nope", Encoding.UTF8, "application/json"))), StringComparison.OrdinalIgnoreCase);

        async Task<string> Import(string body) => await Problem(await api.PostAsync(url + "/charges/import", new StringContent(body, Encoding.UTF8, "text/csv")));
        Assert.Contains("The file is empty", await Import(""));
        Assert.Contains("separated by ';'", await Import(string.Join(';', RecordCsv.Columns) + "\n"));
        Assert.Contains("no charges", await Import(string.Join(',', RecordCsv.Columns) + "\n"));
        var header = string.Join(',', RecordCsv.Columns) + "\n";
        var good = $"c-5,p,NY,,,{Day(300)},PL 165.40,misdemeanor,convicted,{Day(200)},{Day(200)},,,none,,\n";
        var bad = $"c-6,p,NY,,,{Day(300)},PL 165.40,misdemeanor,convicted,{Day(400)},,,,none,,\n";
        var refused = await Import(header + good + bad);
        Assert.Contains("Nothing was imported", refused);
        Assert.Contains("line 3: disposition_date", refused);
        Assert.Contains("is in the file twice", await Import(header + good + good));

        var facts = await Problem(await api.PutAsJsonAsync(url + "/immigration-facts", new Dictionary<string, string> { ["helpful"] = "perhaps", ["shoe-size"] = "41", ["last-arrival"] = "spring" }, JsonBody.Json));
        Assert.Contains("Answer yes, no or unknown", facts);
        Assert.Contains("not a fact the immigration rules ask about", facts);
        Assert.Contains("YYYY-MM-DD", facts);
        Assert.Contains("not a relief the rules know", await Problem(await api.PutAsJsonAsync(url + "/plan", new PlanStep("magic", null, PlanStatus.Pursue), JsonBody.Json)));
        Assert.Contains("There is no charge c-9", await Problem(await api.PutAsJsonAsync(url + "/plan", new PlanStep("ny-vacatur", "c-9", PlanStatus.Pursue), JsonBody.Json)));
        Assert.Contains("There is no charge c-9", await Problem(await api.DeleteAsync(url + "/charges/c-9")));
        Assert.Contains("Give the matter", await Problem(await api.PostAsJsonAsync(url + "/deadlines", new DeadlinesRequest(null), JsonBody.Json)));
        Assert.Contains("Choose one of this client's matters", await Problem(await api.PostAsJsonAsync(url + "/deadlines", new DeadlinesRequest(Guid.NewGuid()), JsonBody.Json)));

        Assert.Equal(before, await api.GetStringAsync(url));
    }

    [Fact]
    public async Task Drafts_are_valid_docx_marked_draft_filled_from_the_case_and_follow_an_organizations_own_template()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["attorneyA1"].Token);
        var client = await app.NewClientAsync(net["attorneyA1"].Token, "Drafted Person Oru");
        var url = $"/api/clients/{client}/relief";
        (await api.PutAsJsonAsync(url + "/charges", Charge("c-1"), JsonBody.Json)).EnsureSuccessStatusCode();

        Assert.Contains("legal name", await Problem(await api.GetAsync(url + "/drafts/vacatur-motion")));
        Assert.Contains("is not a draft Haven writes", await Problem(await api.GetAsync(url + "/drafts/sonnet")));
        (await api.PutAsJsonAsync($"/api/clients/{client}", new ClientDetails { ChosenName = "Drafted Person Oru", LegalName = "Legal Name Synthetic", DateOfBirth = new DateOnly(1990, 2, 3) }, JsonBody.Json)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync(url + "/immigration-facts", new Dictionary<string, string> { ["trafficking-sex"] = "no", ["trafficking-labor"] = "no", ["minor-commercial-sex"] = "no" }, JsonBody.Json)).EnsureSuccessStatusCode();
        Assert.Contains("T visa's elements", await Problem(await api.GetAsync(url + "/drafts/t-visa-cover-letter")));

        var motion = await api.GetAsync(url + "/drafts/vacatur-motion");
        Assert.Equal(HttpStatusCode.OK, motion.StatusCode);
        Assert.Equal("vacatur-motion-DRAFT.docx", motion.Content.Headers.ContentDisposition!.FileName);
        var text = DocxText(await motion.Content.ReadAsByteArrayAsync());
        Assert.StartsWith(DraftFilings.DraftLine, text);
        Assert.Contains("THE PEOPLE OF THE STATE OF NEW YORK against Legal Name Synthetic", text);
        Assert.Contains("PL 230.00 (misdemeanor)", text);
        Assert.Contains("CPL 440.10(6)", text);
        Assert.DoesNotContain("{{", text);

        (await api.PutAsJsonAsync(url + "/immigration-facts", new Dictionary<string, string> { ["trafficking-labor"] = "yes", ["present-on-account"] = "yes" }, JsonBody.Json)).EnsureSuccessStatusCode();
        var letter = DocxText(await (await api.GetAsync(url + "/drafts/t-visa-cover-letter")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Form I-914, Application for T Nonimmigrant Status, for Legal Name Synthetic, born 3 February 1990", letter);
        Assert.Contains("Physically present in the United States on account of the trafficking: met", letter);

        // An organization's own template, with no DRAFT line of its own: filled, and the DRAFT line still comes first.
        var own = Path.Combine(app.DataDirectory, "templates", "relief", net.OrgA.ToString("N"));
        Directory.CreateDirectory(own);
        using (var template = new MemoryStream())
        {
            using (var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Create(template, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
            {
                var main = doc.AddMainDocumentPart();
                // The placeholder split across two runs, as word processors do.
                main.Document = new DocumentFormat.OpenXml.Wordprocessing.Document(new DocumentFormat.OpenXml.Wordprocessing.Body(new DocumentFormat.OpenXml.Wordprocessing.Paragraph(
                    new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text("Our motion for {{legal")),
                    new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text("_name}}, Kings County.")))));
            }
            await File.WriteAllBytesAsync(Path.Combine(own, "vacatur-motion.docx"), template.ToArray());
        }
        var custom = DocxText(await (await api.GetAsync(url + "/drafts/vacatur-motion")).Content.ReadAsByteArrayAsync());
        Assert.Equal(DraftFilings.DraftLine + "\nOur motion for Legal Name Synthetic, Kings County.", custom);
        Assert.Equal(3, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.CountAsync(e => e.SubjectId == client && e.Type == AuditEventType.ReliefDraftDownloaded)));
    }

    /// <summary>Opens a DOCX, checks it against the Office Open XML schema, and returns its paragraphs' text.</summary>
    internal static string DocxText(byte[] docx)
    {
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false);
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document));
        return string.Join('\n', document.MainDocumentPart!.Document.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }
}

public sealed class ReliefSqlite(SqliteApp app) : ReliefTests<SqliteApp>(app);

public sealed class ReliefPostgres(PostgresApp app) : ReliefTests<PostgresApp>(app);
