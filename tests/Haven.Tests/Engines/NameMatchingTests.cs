using Haven.Features.Clients;
using Haven.Features.Conflicts;

namespace Haven.Tests.Engines;

public sealed class NameMatchingTests
{
    [Theory]
    [InlineData("robert", "R163")]
    [InlineData("rupert", "R163")]
    [InlineData("ashcraft", "A261")]   // h does not separate letters of one code
    [InlineData("tymczak", "T522")]
    [InlineData("pfister", "P236")]    // the first letter's code counts for adjacency
    [InlineData("lee", "L000")]
    public void Soundex_codes_follow_the_published_rules(string word, string code) => Assert.Equal(code, NameMatching.Phonetic(word));

    [Fact]
    public void Spellings_that_sound_alike_share_a_code()
    {
        Assert.Equal(NameMatching.Phonetic("jon"), NameMatching.Phonetic("john"));
        Assert.Equal(NameMatching.Phonetic("smyth"), NameMatching.Phonetic("smith"));
        Assert.Equal(NameMatching.Phonetic("gonzalez"), NameMatching.Phonetic("gonsales"));
        Assert.NotEqual(NameMatching.Phonetic("maria"), NameMatching.Phonetic("pedro"));
    }

    [Fact]
    public void Every_word_of_every_name_is_indexed_as_itself_and_as_its_sound()
    {
        var terms = NameMatching.Terms(["José Pérez", null, "Pepe"]).ToList();
        Assert.Contains((SearchTokenKind.NameWord, "jose"), terms);      // accents and case removed
        Assert.Contains((SearchTokenKind.NamePhonetic, "P620"), terms);
        Assert.Contains((SearchTokenKind.NameWord, "pepe"), terms);
        Assert.Equal(6, terms.Count);
    }

    [Fact]
    public void Scores_weigh_exact_words_above_sounds_alike_and_count_missing_words()
    {
        int[] name = [0, 1]; // "jon smyth": word 0 and word 1
        Assert.Equal(1.0, NameMatching.Score(name, exact: 0b11, phonetic: 0b11));
        Assert.Equal(0.7, NameMatching.Score(name, exact: 0, phonetic: 0b11));
        Assert.Equal(0.5, NameMatching.Score(name, exact: 0b01, phonetic: 0b01));
        Assert.Equal(0.85, NameMatching.Score(name, exact: 0b01, phonetic: 0b11));
        Assert.Equal(0, NameMatching.Score([], 0b11, 0b11));
    }
}
