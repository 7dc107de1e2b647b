using System.Text;
using Haven.Features.Clients;

namespace Haven.Features.Conflicts;

public enum MatchKind { Phonetic = 1, Exact = 2 }

/// <summary>
/// How names are compared without storing them: each word of a name is indexed twice, as the normalized word
/// and as its phonetic code, both through the organization's keyed blind index, so "Jon Smyth" finds "John
/// Smith" while the database holds only keyed hashes. Plain functions, no I/O.
/// </summary>
public static class NameMatching
{
    /// <summary>Share of a name's words that match, a phonetic match counting less than an exact one.</summary>
    public const double PhoneticWeight = 0.7, Threshold = 0.5;

    /// <summary>American Soundex over the normalized word (accents already removed): the first letter and three digits.</summary>
    public static string Phonetic(string word)
    {
        var letters = word.Where(char.IsAsciiLetterLower).ToArray();
        if (letters.Length == 0) return word;
        var code = new StringBuilder().Append(char.ToUpperInvariant(letters[0]));
        var last = Digit(letters[0]);
        foreach (var c in letters.Skip(1))
        {
            var digit = Digit(c);
            if (digit != '0' && digit != last) code.Append(digit);
            // h and w do not separate letters of the same code; vowels do.
            if (c is not ('h' or 'w')) last = digit;
            if (code.Length == 4) break;
        }
        return code.ToString().PadRight(4, '0');
    }

    static char Digit(char c) => c switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0',
    };

    /// <summary>The terms indexed for a set of names: every word, and every word's phonetic code.</summary>
    public static IEnumerable<(SearchTokenKind Kind, string Term)> Terms(IEnumerable<string?> names) =>
        names.SelectMany(SearchTerms.Words).Distinct()
            .SelectMany(w => new[] { (SearchTokenKind.NameWord, w), (SearchTokenKind.NamePhonetic, Phonetic(w)) }).Distinct();

    /// <summary>Scores one candidate against one checked name: the name's words (as bit positions) against the
    /// bits of the words the candidate matched exactly and by sound.</summary>
    public static double Score(IReadOnlyList<int> nameWords, ulong exact, ulong phonetic)
    {
        if (nameWords.Count == 0) return 0;
        var total = nameWords.Sum(w => (exact >> w & 1) == 1 ? 1.0 : (phonetic >> w & 1) == 1 ? PhoneticWeight : 0);
        return Math.Round(total / nameWords.Count, 2);
    }
}
