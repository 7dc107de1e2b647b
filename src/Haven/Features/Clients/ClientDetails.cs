using System.Globalization;
using System.Text;

namespace Haven.Features.Clients;

/// <summary>What a client record says about the person. Only the chosen name is required.</summary>
public sealed record ClientDetails
{
    public string ChosenName { get; init; } = "";
    public string? Pronouns { get; init; }
    public List<string> Languages { get; init; } = [];
    public string? GenderIdentity { get; init; }
    /// <summary>Only where a filing needs it.</summary>
    public string? LegalName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public List<ContactMethod> ContactMethods { get; init; } = [];
    public string? CountryOfBirth { get; init; }
    /// <summary>Never required; the most dangerous field in the database.</summary>
    public string? ImmigrationStatus { get; init; }
    public string? Address { get; init; }
}

public sealed record ContactMethod
{
    /// <summary>phone, email, messaging or other.</summary>
    public string Kind { get; init; } = "phone";
    public string Value { get; init; } = "";
    public bool SafeToContact { get; init; }
    public string? SafeTimes { get; init; }
}

/// <summary>Checks a client record before it is stored; messages name the field, never echo its value.</summary>
public static class ClientValidation
{
    public const int NameMax = 200, TextMax = 500, ListMax = 10;
    public static readonly string[] ContactKinds = ["phone", "email", "messaging", "other"];

    /// <summary>Text that may run over several lines: no control characters but line breaks and tabs.</summary>
    public static bool IsMultiLinePlainText(string value) => !value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    public static Dictionary<string, string[]> Validate(ClientDetails d, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];
        void Text(string field, string? value, int max, bool required = false)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required) Add(field, $"{field} is required.");
                return;
            }
            if (value.Length > max) Add(field, $"{field} is too long (at most {max} characters).");
            else if (value.Any(char.IsControl)) Add(field, $"{field} contains control characters.");
        }

        Text(nameof(d.ChosenName), d.ChosenName, NameMax, required: true);
        Text(nameof(d.Pronouns), d.Pronouns, 50);
        Text(nameof(d.GenderIdentity), d.GenderIdentity, 100);
        Text(nameof(d.LegalName), d.LegalName, NameMax);
        Text(nameof(d.CountryOfBirth), d.CountryOfBirth, 100);
        Text(nameof(d.ImmigrationStatus), d.ImmigrationStatus, TextMax);
        Text(nameof(d.Address), d.Address, TextMax);
        if (d.Languages is null || d.Languages.Count > ListMax) Add(nameof(d.Languages), $"Languages allows at most {ListMax} entries.");
        else foreach (var language in d.Languages) Text(nameof(d.Languages), language, 50, required: true);
        if (d.DateOfBirth is { } dob && (dob > today || dob.Year < 1900))
            Add(nameof(d.DateOfBirth), "DateOfBirth must be between 1900-01-01 and today.");
        if (d.ContactMethods is null || d.ContactMethods.Count > ListMax)
            Add(nameof(d.ContactMethods), $"ContactMethods allows at most {ListMax} entries.");
        else
        {
            for (var i = 0; i < d.ContactMethods.Count; i++)
            {
                var c = d.ContactMethods[i];
                var field = $"ContactMethods[{i}]";
                if (c is null) { Add(field, $"{field} is empty."); continue; }
                if (!ContactKinds.Contains(c.Kind)) Add($"{field}.Kind", $"{field}.Kind must be one of {string.Join(", ", ContactKinds)}.");
                Text($"{field}.Value", c.Value, NameMax, required: true);
                Text($"{field}.SafeTimes", c.SafeTimes, 200);
                if (c.Kind == "phone" && !string.IsNullOrEmpty(c.Value))
                {
                    var digits = SearchTerms.Phone(c.Value).Length;
                    if (digits is < 5 or > 20) Add($"{field}.Value", $"{field}.Value is not a phone number (5 to 20 digits).");
                }
            }
        }
        return errors;
    }

    /// <summary>Trims text so that "  Ana " and "Ana" are the same record.</summary>
    public static ClientDetails Normalize(ClientDetails d) => d with
    {
        ChosenName = d.ChosenName?.Trim() ?? "",
        Pronouns = Clean(d.Pronouns),
        GenderIdentity = Clean(d.GenderIdentity),
        LegalName = Clean(d.LegalName),
        CountryOfBirth = Clean(d.CountryOfBirth),
        ImmigrationStatus = Clean(d.ImmigrationStatus),
        Address = Clean(d.Address),
        Languages = d.Languages?.Select(l => l?.Trim() ?? "").ToList() ?? [],
        ContactMethods = d.ContactMethods?.Select(c => c is null ? null! : c with { Value = c.Value?.Trim() ?? "", SafeTimes = Clean(c.SafeTimes) }).ToList() ?? [],
    };

    /// <summary>Trimmed text, or null for nothing but white space.</summary>
    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>Normal forms of search terms, so blind indexes match regardless of case, accents and spacing.</summary>
public static class SearchTerms
{
    public const int MinPrefix = 2, MaxPrefix = 16;

    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var word = new StringBuilder();
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch)) word.Append(char.ToLowerInvariant(ch));
            else if (word.Length > 0) { yield return word.ToString(); word.Clear(); }
        }
        if (word.Length > 0) yield return word.ToString();
    }

    /// <summary>Every prefix of every word, from two letters up to <see cref="MaxPrefix"/>.</summary>
    public static IEnumerable<string> Prefixes(string? text) =>
        Words(text).SelectMany(w => Enumerable.Range(MinPrefix, Math.Max(0, Math.Min(w.Length, MaxPrefix) - MinPrefix + 1)).Select(n => w[..n]))
            .Concat(Words(text).Where(w => w.Length < MinPrefix)).Distinct();

    /// <summary>The form a query word is looked up in (a long word matches on its first letters).</summary>
    public static string QueryWord(string word) => word.Length > MaxPrefix ? word[..MaxPrefix] : word;

    public static string FullName(string? text) => string.Join(' ', Words(text));

    /// <summary>The last ten digits, so "+1 212 555 0101" and "(212) 555-0101" are the same number.</summary>
    public static string Phone(string? text)
    {
        var digits = new string((text ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 10 ? digits[^10..] : digits;
    }
}
