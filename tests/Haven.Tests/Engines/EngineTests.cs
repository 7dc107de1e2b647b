using System.Security.Cryptography;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;

namespace Haven.Tests.Engines;

public class SearchTermsTests
{
    [Fact]
    public void Words_fold_case_accents_and_punctuation()
        => Assert.Equal(["ines", "maria", "jose"], SearchTerms.Words("  Inés  MARÍA-josé ").ToArray());

    [Fact]
    public void Prefixes_run_from_two_letters_to_the_whole_word()
        => Assert.Equal(["lu", "luz"], SearchTerms.Prefixes("Luz").ToArray());

    [Fact]
    public void Long_words_are_indexed_and_queried_by_their_first_sixteen_letters()
    {
        var word = new string('a', 20);
        Assert.Equal(16, SearchTerms.Prefixes(word).Max(p => p.Length));
        Assert.Equal(16, SearchTerms.QueryWord(word).Length);
    }

    [Fact]
    public void Phone_keeps_the_last_ten_digits()
    {
        Assert.Equal("2125550142", SearchTerms.Phone("+1 (212) 555-0142"));
        Assert.Equal("5550142", SearchTerms.Phone("555 0142"));
    }

    [Fact]
    public void Full_name_is_normalized_words_joined() => Assert.Equal("ana ortiz vega", SearchTerms.FullName(" Ana  ORTIZ-Vega"));
}

public class ClientValidationTests
{
    static readonly DateOnly Today = new(2026, 11, 22);

    [Fact]
    public void Chosen_name_alone_is_enough() => Assert.Empty(ClientValidation.Validate(new ClientDetails { ChosenName = "Star" }, Today));

    [Fact]
    public void Missing_chosen_name_is_named()
        => Assert.Contains("ChosenName", ClientValidation.Validate(new ClientDetails { ChosenName = " " }, Today).Keys);

    [Fact]
    public void Huge_name_is_rejected_without_echoing_it()
    {
        var errors = ClientValidation.Validate(new ClientDetails { ChosenName = new string('x', 100_000) }, Today);
        var message = Assert.Single(errors["ChosenName"]);
        Assert.Contains("too long", message);
        Assert.DoesNotContain("xxxx", message);
    }

    [Fact]
    public void Control_characters_are_rejected()
        => Assert.Contains("ChosenName", ClientValidation.Validate(new ClientDetails { ChosenName = "Luz\u0000\u0007" }, Today).Keys);

    [Fact]
    public void Future_birth_date_and_bad_phone_and_unknown_contact_kind_are_named()
    {
        var errors = ClientValidation.Validate(new ClientDetails
        {
            ChosenName = "Mika",
            DateOfBirth = Today.AddDays(1),
            ContactMethods = [new ContactMethod { Kind = "phone", Value = "call me" }, new ContactMethod { Kind = "pager", Value = "x" }],
        }, Today);
        Assert.Contains("DateOfBirth", errors.Keys);
        Assert.Contains("ContactMethods[0].Value", errors.Keys);
        Assert.Contains("ContactMethods[1].Kind", errors.Keys);
    }

    [Fact]
    public void Too_many_languages_is_named()
        => Assert.Contains("Languages", ClientValidation.Validate(new ClientDetails { ChosenName = "Sol", Languages = [.. Enumerable.Repeat("English", 11)] }, Today).Keys);
}

public class CryptoTests
{
    [Fact]
    public void Seal_and_open_round_trip_with_version_prefix()
    {
        var key = Crypto.NewKey();
        var owner = Guid.NewGuid();
        var sealedData = Crypto.Seal(key, "hello"u8, Crypto.Bind(owner));
        Assert.Equal(Crypto.Version1, sealedData[0]);
        Assert.Equal("hello"u8.ToArray(), Crypto.Open(key, sealedData, Crypto.Bind(owner)));
    }

    [Fact]
    public void Ciphertext_bound_to_one_owner_does_not_open_for_another()
    {
        var key = Crypto.NewKey();
        var sealedData = Crypto.Seal(key, "hello"u8, Crypto.Bind(Guid.NewGuid()));
        Assert.ThrowsAny<CryptographicException>(() => Crypto.Open(key, sealedData, Crypto.Bind(Guid.NewGuid())));
    }

    [Fact]
    public void Wrong_key_and_unknown_version_fail()
    {
        var owner = Guid.NewGuid();
        var sealedData = Crypto.Seal(Crypto.NewKey(), "hello"u8, Crypto.Bind(owner));
        Assert.ThrowsAny<CryptographicException>(() => Crypto.Open(Crypto.NewKey(), sealedData, Crypto.Bind(owner)));
        sealedData[0] = 9;
        Assert.ThrowsAny<CryptographicException>(() => Crypto.Open(Crypto.NewKey(), sealedData, Crypto.Bind(owner)));
    }

    [Fact]
    public void Blind_index_is_keyed_per_organization()
    {
        var a = new OrganizationKeys(Guid.NewGuid(), Crypto.NewKey());
        var b = new OrganizationKeys(Guid.NewGuid(), Crypto.NewKey());
        Assert.Equal(a.BlindIndex(1, "luz"), a.BlindIndex(1, "luz"));
        Assert.NotEqual(a.BlindIndex(1, "luz"), b.BlindIndex(1, "luz"));
        Assert.NotEqual(a.BlindIndex(1, "luz"), a.BlindIndex(2, "luz"));
    }
}

public class TotpTests
{
    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
    [Fact]
    public void Matches_the_rfc_6238_test_vector() => Assert.Equal(287082, Totp.Compute("12345678901234567890"u8.ToArray(), 59 / 30));

    [Fact]
    public void Base32_decodes_rfc_4648_vector() => Assert.Equal("foobar"u8.ToArray(), Base32.Decode("MZXW6YTBOI======"));
}

public class ApiTokenLifetimeTests
{
    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("90d", 90 * 86400)]
    public void Parses_durations(string text, int seconds)
    {
        Assert.True(ApiTokens.TryParseLifetime(text, out var lifetime));
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("5w")]
    [InlineData("-3d")]
    [InlineData("0d")]
    [InlineData("366d")]
    [InlineData("abc")]
    public void Rejects_bad_durations(string text) => Assert.False(ApiTokens.TryParseLifetime(text, out _));
}

public class AuditChainTests
{
    static AuditEvent Event() => new()
    {
        Seq = 1,
        AtMs = 1_700_000_000_000,
        Type = AuditEventType.ClientViewed,
        ActorId = "u1",
        OrganizationId = Guid.Empty,
        SubjectId = Guid.Empty,
        Purpose = "care",
        PreviousHash = AuditChain.Genesis,
        Hash = [],
    };

    public static TheoryData<string> Fields => new() { "Seq", "AtMs", "Type", "ActorId", "OrganizationId", "SubjectId", "Purpose", "PreviousHash" };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var original = AuditChain.ComputeHash(Event());
        var e = Event();
        switch (field)
        {
            case "Seq": e.Seq = 2; break;
            case "AtMs": e.AtMs++; break;
            case "Type": e.Type = AuditEventType.ClientUpdated; break;
            case "ActorId": e.ActorId = null; break;
            case "OrganizationId": e.OrganizationId = null; break;
            case "SubjectId": e.SubjectId = Guid.NewGuid(); break;
            case "Purpose": e.Purpose = "break-glass"; break;
            case "PreviousHash": e.PreviousHash = new byte[32]; e.PreviousHash[0] = 1; break;
        }
        Assert.NotEqual(original, AuditChain.ComputeHash(e));
    }
}

public class MasterKeyStoreTests
{
    static MasterKeyStore Store(out string directory, string? environmentKey = null)
    {
        directory = Path.Combine(Path.GetTempPath(), "haven-key-" + Guid.NewGuid().ToString("N")[..8]);
        return new MasterKeyStore(directory, new KeyOptions { MasterKey = environmentKey });
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Haven runs on Debian; file modes are POSIX
    public void A_new_key_file_is_owner_only_and_never_overwritten()
    {
        var store = Store(out var directory);
        try
        {
            Assert.False(store.IsConfigured);
            var key = store.Create();
            Assert.Equal(32, key.Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
            Assert.Equal(key, store.Load());
            Assert.Throws<IOException>(() => store.Create());
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Theory]
    [InlineData("not base64!", "not valid base64")]
    [InlineData("AAAA", "must be 32 bytes")]
    public void A_malformed_key_is_named(string value, string expected)
    {
        var store = Store(out _, value);
        Assert.Contains(expected, Assert.Throws<MasterKeyException>(() => store.Load()).Message);
    }

    [Fact]
    public void No_key_configured_says_how_to_configure_one()
        => Assert.Contains("HAVEN_MASTER_KEY", Assert.Throws<MasterKeyException>(() => Store(out _).Load()).Message);
}
