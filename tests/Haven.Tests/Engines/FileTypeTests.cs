using System.Text;
using Haven.Features.Documents;
using Microsoft.Extensions.Configuration;

namespace Haven.Tests.Engines;

public sealed class FileTypeTests
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    static readonly byte[] Exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0];

    [Fact]
    public void Files_are_recognised_by_their_bytes()
    {
        Assert.Equal(FileTypes.Pdf, FileTypes.Sniff(Pdf));
        Assert.Equal(FileTypes.Png, FileTypes.Sniff(Png));
        Assert.Equal(FileTypes.Jpeg, FileTypes.Sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]));
        Assert.Equal(FileTypes.Text, FileTypes.Sniff(Encoding.UTF8.GetBytes("Notas de la cita: mañana")));
        Assert.Null(FileTypes.Sniff(Exe));
        Assert.Null(FileTypes.Sniff(Encoding.ASCII.GetBytes("PK\u0003\u0004 not a word document")));
    }

    [Fact]
    public void A_claimed_type_must_be_allowed_and_match_the_bytes()
    {
        Assert.Null(FileTypes.Problem("application/pdf", Pdf));
        Assert.Contains("not a PDF", FileTypes.Problem("application/pdf", Exe));
        Assert.Contains("but it is a PNG image", FileTypes.Problem("application/pdf", Png));
        Assert.Contains("text/html are not accepted", FileTypes.Problem("text/html", Encoding.UTF8.GetBytes("<p>hi</p>")));
        Assert.Contains("(none) are not accepted", FileTypes.Problem(null, Pdf));
    }

    [Fact]
    public void Text_cut_inside_a_multibyte_character_is_still_text()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 8190) + "ñ");
        Assert.Equal(FileTypes.Text, FileTypes.Sniff(bytes.AsSpan(0, 8191)));
    }

    [Fact]
    public async Task The_virus_scan_hook_does_nothing_unless_configured_and_stores_nothing_it_cannot_clear()
    {
        static VirusScan With(string? command) =>
            new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:ScanCommand"] = command }).Build());
        Assert.Null(await With(null).ProblemAsync(Pdf, default));
        var script = Path.Combine(Path.GetTempPath(), $"haven-scan-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nif grep -q EICAR; then exit 1; fi\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            Assert.Null(await With(script).ProblemAsync(Pdf, default));
            Assert.Contains("found a threat", await With(script).ProblemAsync(Encoding.ASCII.GetBytes("X5O EICAR test"), default));
            Assert.Contains("could not check this file", await With("ls /nonexistent-haven-directory").ProblemAsync(Pdf, default)); // exit code 2
            Assert.Contains("could not check this file", await With("/nonexistent/scanner").ProblemAsync(Pdf, default));
        }
        finally { File.Delete(script); }
    }
}
