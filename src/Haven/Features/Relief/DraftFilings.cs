using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Haven.Features.Relief;

/// <summary>What a draft is filled from. The legal name appears in drafts and nowhere else Haven shows.</summary>
public sealed record DraftCase(
    string LegalName,
    string ChosenName,
    DateOnly? DateOfBirth,
    string Organization,
    string Attorney,
    DateOnly Today,
    IReadOnlyList<(ChargeRecord Charge, ReliefFinding Finding)> Charges,
    OptionResult? TVisa);

/// <summary>
/// Draft filings as DOCX: a notice of motion with its supporting affirmation to vacate under CPL 440.10(1)(i), and a
/// cover letter for a T visa filing. Templates are DOCX files an organization edits in any word processor, with
/// {{placeholders}}; Haven writes its default ones into the data directory the first time. Every draft opens with a
/// DRAFT line for attorney review, whatever the template says.
/// </summary>
public static class DraftFilings
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["vacatur-motion"] = "Notice of motion and affirmation to vacate (CPL 440.10(1)(i))",
        ["t-visa-cover-letter"] = "Cover letter for a T visa filing (Form I-914)",
    };

    public const string DraftLine = "DRAFT FOR ATTORNEY REVIEW. NOT FOR FILING AS IT STANDS.";

    /// <summary>The template for an organization: its own file, the deployment's, or the built-in default (written to the deployment's folder).</summary>
    public static byte[] Template(string dataDirectory, Guid organizationId, string kind)
    {
        var folder = Path.Combine(dataDirectory, "templates", "relief");
        var own = Path.Combine(folder, organizationId.ToString("N"), kind + ".docx");
        if (File.Exists(own)) return File.ReadAllBytes(own);
        var shared = Path.Combine(folder, kind + ".docx");
        if (!File.Exists(shared))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(shared, Default(kind));
        }
        return File.ReadAllBytes(shared);
    }

    public static byte[] Fill(byte[] template, DraftCase c)
    {
        var values = new Dictionary<string, string>
        {
            ["legal_name"] = c.LegalName,
            ["chosen_name"] = c.ChosenName,
            ["date_of_birth"] = c.DateOfBirth?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "[date of birth]",
            ["organization"] = c.Organization,
            ["attorney"] = c.Attorney,
            ["today"] = c.Today.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            ["court"] = c.Charges.Select(x => x.Charge.Court).FirstOrDefault(x => x is not null) ?? "[court]",
            ["docket"] = string.Join(", ", c.Charges.Select(x => x.Charge.Docket).OfType<string>().Distinct()) is { Length: > 0 } d ? d : "[docket]",
            ["victim_from"] = Date(c.Charges.Select(x => x.Charge.VictimFrom).FirstOrDefault(x => x is not null)),
            ["victim_until"] = Date(c.Charges.Select(x => x.Charge.VictimUntil).FirstOrDefault(x => x is not null)),
        };
        var charges = c.Charges.Select(x =>
            $"{x.Charge.OffenseSection} ({ReliefNames.Of(x.Charge.Level)}), docket {x.Charge.Docket ?? "[docket]"}, arrested {Date(x.Charge.ArrestDate)}, " +
            $"disposed {Date(x.Charge.DispositionDate)}: {string.Join("; ", x.Finding.Reasons)}").ToList();
        var elements = c.TVisa?.Elements.Select(e => $"{e.Label}: {e.State.ToString().ToLowerInvariant()}").ToList() ?? [];
        var evidence = c.TVisa?.Evidence.ToList() ?? [];

        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = WordprocessingDocument.Open(stream, true))
        {
            var body = document.MainDocumentPart!.Document.Body!;
            foreach (var paragraph in body.Descendants<Paragraph>().ToList())
            {
                var text = string.Concat(paragraph.Descendants<Text>().Select(t => t.Text));
                if (!text.Contains("{{", StringComparison.Ordinal)) continue;
                var list = text.Trim() switch { "{{charges}}" => charges, "{{t_visa_elements}}" => elements, "{{evidence}}" => evidence, _ => null };
                if (list is not null)
                {
                    foreach (var line in list) paragraph.InsertBeforeSelf(Para(line));
                    paragraph.Remove();
                    continue;
                }
                foreach (var (key, value) in values) text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
                // The words of a paragraph may be split across runs; the filled text goes into the first run.
                var texts = paragraph.Descendants<Text>().ToList();
                texts[0].Text = text;
                texts[0].Space = SpaceProcessingModeValues.Preserve;
                foreach (var extra in texts.Skip(1)) extra.Remove();
            }
            var first = body.Elements<Paragraph>().FirstOrDefault();
            if (first is null || !string.Concat(first.Descendants<Text>().Select(t => t.Text)).Contains("DRAFT", StringComparison.Ordinal))
                body.PrependChild(Para(DraftLine, bold: true));
            document.MainDocumentPart.Document.Save();
        }
        return stream.ToArray();
    }

    static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "[date]";

    static Paragraph Para(string text, bool bold = false, bool pageBreakBefore = false)
    {
        var run = new Run();
        if (bold) run.AppendChild(new RunProperties(new Bold()));
        run.AppendChild(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        var paragraph = new Paragraph(run);
        if (pageBreakBefore) paragraph.PrependChild(new ParagraphProperties(new PageBreakBefore()));
        return paragraph;
    }

    /// <summary>The built-in templates: plain, editable, with the placeholders documented in docs/relief-rules.md.</summary>
    public static byte[] Default(string kind)
    {
        string[] lines = kind switch
        {
            "vacatur-motion" =>
            [
                DraftLine,
                "CRIMINAL COURT OF THE CITY OF NEW YORK, {{court}}",
                "THE PEOPLE OF THE STATE OF NEW YORK against {{legal_name}}, Defendant. Docket {{docket}}.",
                "NOTICE OF MOTION TO VACATE JUDGMENT (CPL 440.10(1)(i))",
                "PLEASE TAKE NOTICE that upon the annexed affirmation, the defendant will move this Court for an order vacating the judgment(s) of conviction listed below under CPL 440.10(1)(i), dismissing the accusatory instrument(s) under CPL 440.10(6), granting leave to file this motion and its papers under seal, and granting such other relief as is just.",
                "{{charges}}",
                "Dated {{today}}. {{attorney}}, {{organization}}, attorney for the defendant.",
                "AFFIRMATION IN SUPPORT",
                "{{attorney}}, an attorney admitted to practice in the courts of this State, affirms under penalty of perjury:",
                "1. I represent the defendant, {{legal_name}}, born {{date_of_birth}}, and make this affirmation in support of the motion.",
                "2. From {{victim_from}} to {{victim_until}} the defendant was a victim of trafficking. The defendant's participation in each offense listed was a result of having been a victim of trafficking.",
                "3. [Describe the trafficking and how each offense resulted from it. Attach any official documentation from a federal, state or local government agency, which creates a presumption under CPL 440.10(1)(i)(ii).]",
                "4. This motion is made with due diligence after the defendant ceased to be a victim of trafficking or sought services for victims, subject to reasonable concerns for the safety of the defendant and the defendant's family. [Explain the time taken.]",
                "5. The defendant asks that the motion and all papers be filed under seal.",
                "Dated {{today}}. {{attorney}}",
            ],
            "t-visa-cover-letter" =>
            [
                DraftLine,
                "{{organization}}",
                "{{today}}",
                "U.S. Citizenship and Immigration Services, Vermont Service Center",
                "Re: Form I-914, Application for T Nonimmigrant Status, for {{legal_name}}, born {{date_of_birth}}",
                "Dear Officer:",
                "Please find enclosed the application of {{legal_name}} for T nonimmigrant status under 8 CFR 214.202. The applicant meets each eligibility requirement, as shown below and in the enclosed evidence:",
                "{{t_visa_elements}}",
                "Enclosed:",
                "{{evidence}}",
                "Please direct all correspondence to the undersigned. Thank you for your attention.",
                "Sincerely, {{attorney}}, {{organization}}",
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), "Unknown draft kind."),
        };
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(lines.Select((l, i) => Para(l, bold: i == 0 || l == l.ToUpperInvariant(), pageBreakBefore: l == "AFFIRMATION IN SUPPORT"))));
            main.Document.Save();
        }
        return stream.ToArray();
    }
}
