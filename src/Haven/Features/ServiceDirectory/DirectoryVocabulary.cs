using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Haven.Features.Screening;
using Haven.Features.ServiceDirectory.Hsds;

namespace Haven.Features.ServiceDirectory;

/// <summary>
/// The directory's taxonomies: Open Eligibility with its own ids as term codes, and Haven's vocabulary of attributes
/// and needs. HSDS ids are UUIDs, so each term's id is a name-based UUID of its code; the same code always gives
/// the same id, on every installation.
/// </summary>
public static class DirectoryVocabulary
{
    public const string OpenEligibilityPrefix = "openEligibility:";
    public const string HavenPrefix = "haven:";
    public static readonly string OpenEligibilityId = StableId("taxonomy/open-eligibility");
    public static readonly string HavenId = StableId("taxonomy/haven");

    /// <summary>The attribute that marks a location as confidential (a safe house): its address is never published.</summary>
    public const string ConfidentialLocation = "haven:confidential-location";

    /// <summary>What a person may require of a service, published as HSDS attributes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Attributes = new Dictionary<string, string>
    {
        ["haven:no-id-required"] = "No ID required",
        ["haven:immigration-status-not-asked"] = "Immigration status not asked",
        ["haven:no-law-enforcement-cooperation-required"] = "No cooperation with police required",
        ["haven:serves-people-currently-doing-sex-work"] = "Serves people currently doing sex work",
        ["haven:does-not-require-leaving-sex-work"] = "Does not require leaving sex work",
        ["haven:trans-affirming"] = "Trans-affirming",
        ["haven:lgbtq-affirming"] = "LGBTQ-affirming",
        ["haven:harm-reduction"] = "Harm reduction",
        ["haven:serves-women"] = "Serves women",
        ["haven:serves-men"] = "Serves men",
        ["haven:serves-nonbinary-people"] = "Serves nonbinary people",
        ["haven:serves-minors"] = "Serves minors",
        ["haven:peer-led"] = "Peer-led",
        ["haven:survivor-led"] = "Survivor-led",
        ["haven:interpretation-available"] = "Interpretation available",
        ["haven:sex-trafficking-survivor-services"] = "Services for survivors of sex trafficking",
        ["haven:labor-trafficking-survivor-services"] = "Services for survivors of labor trafficking",
        [ConfidentialLocation] = "Confidential location",
    };

    /// <summary>
    /// Each need of the screening needs check as a Haven term, and the Open Eligibility terms (with everything under
    /// them) that meet it. A service meets a need when it carries the need's term or one of those.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> NeedTerms = new Dictionary<string, string[]>
    {
        ["housing"] = ["1103", "1121", "1123"],
        ["health"] = ["1106"],
        ["mental-health"] = ["1220", "1304", "1214", "1126"],
        ["legal-immigration"] = ["1381"],
        ["legal-criminal-record"] = [],
        ["legal-family"] = ["1376", "1383"],
        ["legal-housing"] = [],
        ["legal-employment"] = ["1386"],
        ["legal-wages"] = ["1386"],
        ["money"] = ["1107"],
        ["safety"] = ["1123"],
        ["identity-documents"] = ["1384"],
        ["language"] = ["1390"],
        ["children"] = ["1280"],
        ["education"] = ["1109"],
        ["work"] = ["1110"],
    };

    public static string NeedCode(string need) => $"{HavenPrefix}need/{need}";

    static readonly Lazy<Dictionary<string, HashSet<string>>> needTermIds = new(() =>
    {
        var dataset = Dataset(HsdsSchema.BuiltIn, File.ReadAllText(DirectoryImport.VocabularyFile));
        var children = dataset.Of("taxonomy_term").Where(t => t.Text("parent_id") is not null).ToLookup(t => t.Text("parent_id")!, t => t.Id);
        var byCode = dataset.Of("taxonomy_term").Where(t => t.Text("taxonomy_id") == OpenEligibilityId).GroupBy(t => t.Text("code")!).ToDictionary(g => g.Key, g => g.First().Id);
        return NeedTerms.ToDictionary(n => n.Key, n =>
        {
            var ids = new HashSet<string> { TermId(NeedCode(n.Key)) };
            var queue = new Queue<string>(n.Value.Select(code => byCode[code]));
            while (queue.TryDequeue(out var id))
                if (ids.Add(id)) foreach (var child in children[id]) queue.Enqueue(child);
            return ids;
        });
    });

    /// <summary>The term ids that meet a need: its Haven term and its Open Eligibility terms with everything under them.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> NeedTermIds => needTermIds.Value;

    /// <summary>A name-based UUID (SHA-1, RFC 9562 version 5 layout) for a Haven-made HSDS id.</summary>
    public static string StableId(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("haven/" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    public static string TermId(string code) => StableId("term/" + code);

    /// <summary>Both taxonomies as an HSDS dataset, ready to import.</summary>
    public static HsdsDataset Dataset(HsdsSchema schema, string openEligibilityXml)
    {
        var dataset = new HsdsDataset(schema);
        dataset.AddRow("taxonomy", new JsonObject
        {
            ["id"] = OpenEligibilityId,
            ["name"] = "Open Eligibility",
            ["description"] = "Open Eligibility taxonomy of human services and human situations (Aunt Bertha, Inc., CC BY-SA 3.0).",
            ["uri"] = "http://openeligibility.org",
            ["version"] = "2.0",
        }, "open-eligibility");
        dataset.AddRow("taxonomy", new JsonObject
        {
            ["id"] = HavenId,
            ["name"] = "Haven",
            ["description"] = "Haven's vocabulary: what a person may require of a service, confidential locations, and the needs of the screening needs check.",
            ["version"] = "1",
        }, "haven");

        // The file declares XML version "2.0", which no parser knows; the declaration is dropped, the content is XML 1.0.
        var root = XDocument.Parse(System.Text.RegularExpressions.Regex.Replace(openEligibilityXml, @"^\s*<\?xml[^>]*\?>", "")).Root!;
        var descriptions = root.Element("services")?.Element("descriptions")?.Elements("category")
            .ToDictionary(c => (string)c.Attribute("id")!, c => c.Value.Trim()) ?? [];
        var seen = new HashSet<string>();
        foreach (var branch in new[] { root.Element("services"), root.Element("situations") })
            foreach (var top in branch?.Elements().Where(e => e.Name.LocalName.EndsWith("_level", StringComparison.Ordinal)) ?? [])
                AddTerm(top, null);

        void AddTerm(XElement element, string? parentId)
        {
            var code = (string)element.Attribute("id")!;
            var title = ((string)element.Attribute("title")!).Trim();
            // Open Eligibility gives two terms id 1206 (Medical Care and Primary Care under it): the second keeps the code, with its own id.
            var id = seen.Add(code) ? TermId(OpenEligibilityPrefix + code) : TermId($"{OpenEligibilityPrefix}{code}/{title}");
            dataset.AddRow("taxonomy_term", new JsonObject
            {
                ["id"] = id,
                ["code"] = code,
                ["name"] = title,
                ["description"] = parentId is null && descriptions.TryGetValue(code, out var d) ? d : title,
                ["parent_id"] = parentId,
                ["taxonomy"] = "Open Eligibility",
                ["taxonomy_id"] = OpenEligibilityId,
                ["language"] = "en",
            }, "open-eligibility " + code);
            foreach (var child in element.Elements().Where(e => e.Name.LocalName.EndsWith("_level", StringComparison.Ordinal)))
                AddTerm(child, id);
        }

        foreach (var (code, name) in Attributes)
            AddHavenTerm(code, name, name + " (Haven attribute).");
        foreach (var (need, label) in Needs.All)
            AddHavenTerm(NeedCode(need), label, $"Need: {label.ToLowerInvariant()} (from the Haven needs check).");
        return dataset;

        void AddHavenTerm(string code, string name, string description) => dataset.AddRow("taxonomy_term", new JsonObject
        {
            ["id"] = TermId(code),
            ["code"] = code,
            ["name"] = name,
            ["description"] = description,
            ["taxonomy"] = "Haven",
            ["taxonomy_id"] = HavenId,
            ["language"] = "en",
        }, code);
    }
}
