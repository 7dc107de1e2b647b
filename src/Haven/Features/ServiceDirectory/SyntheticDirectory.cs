using System.Globalization;
using System.Text.Json.Nodes;
using Haven.Features.ServiceDirectory.Hsds;

namespace Haven.Features.ServiceDirectory;

/// <summary>
/// An invented directory for the demo, the tests and the benchmarks: organizations, services and locations spread
/// around invented towns, with Open Eligibility terms, Haven attributes, languages, weekday hours and a few safe houses.
/// The same seed always gives the same directory. Ids are name-based, so slices of one directory never collide.
/// </summary>
public static class SyntheticDirectory
{
    public sealed record Town(string Name, string State, double Latitude, double Longitude, string PostcodePrefix);

    /// <summary>Invented towns at real-looking coordinates across a continent-sized box.</summary>
    public static IReadOnlyList<Town> Towns(int count, int seed = 7)
    {
        var random = new Random(seed);
        string[] first = ["Ash", "Birch", "Cedar", "Elm", "Fern", "Glen", "Hazel", "Iris", "Juniper", "Laurel", "Maple", "Oak", "Pine", "Quill", "Rowan", "Sage", "Willow", "Yarrow"];
        string[] last = ["ford", "field", "ton", "wood", "vale", "brook", "haven", "port", "mount", "bury"];
        string[] states = ["North State", "South State", "East State", "West State", "Lake State", "River State"];
        return [.. Enumerable.Range(0, count).Select(i => new Town(
            first[i % first.Length] + last[i / first.Length % last.Length] + (i >= first.Length * last.Length ? " " + (i / (first.Length * last.Length) + 1) : ""),
            states[i % states.Length],
            Math.Round(26 + random.NextDouble() * 22, 5),
            Math.Round(-122 + random.NextDouble() * 52, 5),
            (1000 + i).ToString(CultureInfo.InvariantCulture)))];
    }

    static readonly (string Need, string Term, string Noun)[] Kinds =
    [
        ("housing", "1121", "Emergency Shelter"), ("housing", "1151", "Safe Housing"), ("health", "1106", "Health Clinic"),
        ("mental-health", "1220", "Counseling"), ("legal-immigration", "1381", "Immigration Legal Services"),
        ("legal-employment", "1386", "Workers' Rights Clinic"), ("money", "1107", "Benefits Help"), ("safety", "1124", "Safety Planning"),
        ("identity-documents", "1384", "ID Recovery"), ("language", "1390", "Interpreting"), ("children", "1280", "Childcare"),
        ("education", "1109", "Adult Education"), ("work", "1297", "Job Help"),
    ];

    static readonly (string Code, string Name)[] Languages =
        [("en", "English"), ("es", "Spanish"), ("zh", "Chinese"), ("ko", "Korean"), ("vi", "Vietnamese"), ("tl", "Tagalog"), ("ru", "Russian"), ("ht", "Haitian Creole"), ("fr", "French"), ("ar", "Arabic")];

    static readonly string[] Attributes = [.. DirectoryVocabulary.Attributes.Keys.Where(k => k != DirectoryVocabulary.ConfidentialLocation)];

    /// <summary>
    /// Services <paramref name="from"/> up to <paramref name="to"/> of a directory: one organization per five services,
    /// one location per service and a second one for two in five. One housing location in fifty (or as asked; 0: none)
    /// is a safe house.
    /// </summary>
    public static HsdsDataset Generate(HsdsSchema schema, int from, int to, IReadOnlyList<Town> towns, int seed = 7, int safeHouseEvery = 50)
    {
        var dataset = new HsdsDataset(schema);
        for (var n = from; n < to; n++)
        {
            var org = n / 5;
            var orgId = Id("organization", org);
            // An organization and its five services share a town; the seeds are plain arithmetic so every process agrees.
            var town = towns[new Random(seed * 7919 + org).Next(towns.Count)];
            var random = new Random(seed * 1_000_003 + n);
            var (need, term, noun) = Kinds[random.Next(Kinds.Length)];
            if (n % 5 == 0 || n == from)
                dataset.AddRow("organization", new JsonObject
                {
                    ["id"] = orgId,
                    ["name"] = $"{town.Name} Community Alliance {org}",
                    ["description"] = $"An invented community organization in {town.Name}.",
                    ["email"] = $"info{org}@example.org",
                }, $"organization {org}");

            var serviceId = Id("service", n);
            dataset.AddRow("service", new JsonObject
            {
                ["id"] = serviceId,
                ["organization_id"] = orgId,
                ["name"] = $"{town.Name} {noun}",
                ["description"] = $"{noun} for adults in and around {town.Name}. Walk in or call ahead.",
                ["status"] = "active",
                ["minimum_age"] = random.Next(4) == 0 ? 18 : null,
                ["maximum_age"] = random.Next(8) == 0 ? 24 : null,
                ["last_modified"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            }, $"service {n}");
            Attribute(serviceId, DirectoryVocabulary.TermId(DirectoryVocabulary.OpenEligibilityPrefix + term), $"{n}/oe");
            Attribute(serviceId, DirectoryVocabulary.TermId(DirectoryVocabulary.NeedCode(need)), $"{n}/need");
            foreach (var attribute in Attributes.OrderBy(_ => random.Next()).Take(random.Next(5)))
                Attribute(serviceId, DirectoryVocabulary.TermId(attribute), $"{n}/{attribute}");
            Language(serviceId, Languages[0], $"{n}/en");
            if (random.Next(2) == 0) Language(serviceId, Languages[1 + random.Next(Languages.Length - 1)], $"{n}/l2");
            dataset.AddRow("phone", new JsonObject { ["id"] = Id("phone", n), ["service_id"] = serviceId, ["number"] = $"555-01{n % 100:00}" }, $"phone {n}");
            var allDay = need == "housing";
            dataset.AddRow("schedule", new JsonObject
            {
                ["id"] = Id("schedule", n),
                ["service_id"] = serviceId,
                ["freq"] = "WEEKLY",
                ["byday"] = allDay ? "MO,TU,WE,TH,FR,SA,SU" : "MO,TU,WE,TH,FR",
                ["opens_at"] = allDay ? "00:00" : "09:00",
                ["closes_at"] = allDay ? "23:59" : "17:00",
                ["description"] = allDay ? "Open every day, day and night." : "Weekdays 9 to 5.",
            }, $"schedule {n}");

            var sites = random.Next(5) < 2 ? 2 : 1;
            for (var s = 0; s < sites; s++)
            {
                var key = n * 2 + s;
                var locationId = Id("location", key);
                var safeHouse = need == "housing" && safeHouseEvery > 0 && key % safeHouseEvery == 0;
                // About 10 km around the town centre.
                var lat = Math.Round(town.Latitude + (random.NextDouble() - 0.5) * 0.18, 6);
                var lon = Math.Round(town.Longitude + (random.NextDouble() - 0.5) * 0.24, 6);
                dataset.AddRow("location", new JsonObject
                {
                    ["id"] = locationId,
                    ["organization_id"] = orgId,
                    ["location_type"] = "physical",
                    ["name"] = safeHouse ? $"{town.Name} House {key}" : $"{town.Name} Office {key}",
                    ["latitude"] = lat,
                    ["longitude"] = lon,
                }, $"location {key}");
                dataset.AddRow("address", new JsonObject
                {
                    ["id"] = Id("address", key),
                    ["location_id"] = locationId,
                    ["address_1"] = $"{1 + random.Next(2000)} {(safeHouse ? "Quiet" : "Main")} Street",
                    ["city"] = town.Name,
                    ["state_province"] = town.State,
                    ["postal_code"] = town.PostcodePrefix + random.Next(10).ToString(CultureInfo.InvariantCulture),
                    ["country"] = "US",
                    ["address_type"] = "physical",
                }, $"address {key}");
                if (safeHouse) Attribute(locationId, DirectoryVocabulary.TermId(DirectoryVocabulary.ConfidentialLocation), $"{key}/confidential", "location");
                dataset.AddRow("service_at_location", new JsonObject { ["id"] = Id("service_at_location", key), ["service_id"] = serviceId, ["location_id"] = locationId }, $"site {key}");
            }
        }
        return dataset;

        void Attribute(string linkId, string termId, string key, string entity = "service") => dataset.AddRow("attribute", new JsonObject
        {
            ["id"] = DirectoryVocabulary.StableId("synthetic/attribute/" + key),
            ["link_id"] = linkId,
            ["link_type"] = "service_attribute",
            ["link_entity"] = entity,
            ["taxonomy_term_id"] = termId,
        }, "attribute " + key);

        void Language(string serviceId, (string Code, string Name) language, string key) => dataset.AddRow("language", new JsonObject
        {
            ["id"] = DirectoryVocabulary.StableId("synthetic/language/" + key),
            ["service_id"] = serviceId,
            ["code"] = language.Code,
            ["name"] = language.Name,
        }, "language " + key);
    }

    public static string Id(string table, int n) => DirectoryVocabulary.StableId($"synthetic/{table}/{n}");
}
