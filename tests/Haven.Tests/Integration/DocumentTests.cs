using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Matters;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>An app whose virus-scan hook is a script that flags any file containing "EICAR".</summary>
public abstract class ScanningApp : HavenApp
{
    protected ScanningApp(DatabaseProvider provider) : base(provider)
    {
        var script = Path.Combine(DataDirectory, "scan.sh");
        File.WriteAllText(script, "#!/bin/sh\nif grep -q EICAR; then exit 1; fi\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Settings["Documents:ScanCommand"] = script;
    }
}

public sealed class ScanningSqliteApp() : ScanningApp(DatabaseProvider.Sqlite);
public sealed class ScanningPostgresApp() : ScanningApp(DatabaseProvider.Postgres);

/// <summary>Documents through real HTTP: type checks against the bytes, size, scanning, sealing, audited downloads.</summary>
public abstract class DocumentTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% Synthetic test document Qwv\n");

    async Task<(Guid Client, Guid Matter)> NewMatterAsync()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Document Person" }, null));
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var opened = await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Immigration, null), JsonBody.Json);
        return (client, (await opened.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value);
    }

    static MultipartFormDataContent Form(byte[] content, string contentType, string name = "passport-scan.pdf", string? kind = "IdentityDocument")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", name);
        if (kind is not null) form.Add(new StringContent(kind), "kind");
        return form;
    }

    async Task<HttpResponseMessage> UploadAsync(string staff, Guid matter, HttpContent body)
    {
        var net = await app.NetworkAsync();
        return await app.ApiClient(net[staff].Token).PostAsync($"/api/matters/{matter}/documents", body);
    }

    [Fact]
    public async Task A_document_is_sealed_at_rest_and_every_download_is_audited()
    {
        var net = await app.NetworkAsync();
        var (client, matter) = await NewMatterAsync();
        var uploaded = await UploadAsync("advocateA1", matter, Form(Pdf, "application/pdf"));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var id = (await uploaded.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;

        var api = app.ApiClient(net["attorneyA1"].Token);
        for (var i = 0; i < 2; i++)
        {
            var download = await api.GetAsync($"/api/documents/{id}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal("passport-scan.pdf", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        }
        var row = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().MatterDocuments.SingleAsync(d => d.Id == id));
        Assert.DoesNotContain("Qwv", Encoding.ASCII.GetString(row.SealedContent));
        Assert.DoesNotContain("passport", Encoding.ASCII.GetString(row.SealedName));
        var downloads = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents
            .CountAsync(e => e.SubjectId == client && e.Type == AuditEventType.DocumentDownloaded && e.ActorId == net["attorneyA1"].Id));
        Assert.Equal(2, downloads);

        // Another team (without breaking the glass) and another organization get nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA2"].Token).GetAsync($"/api/documents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).GetAsync($"/api/documents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync("advocateB", matter, Form(Pdf, "application/pdf"))).StatusCode);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_the_reason_and_nothing_is_stored()
    {
        var (_, matter) = await NewMatterAsync();
        async Task<string> Rejected(HttpContent body)
        {
            var response = await UploadAsync("advocateA1", matter, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("contents are not a PDF", await Rejected(Form([(byte)'M', (byte)'Z', 0x90, 0], "application/pdf", "tool.pdf")));
        Assert.Contains("but it is a PNG image", await Rejected(Form([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], "application/pdf")));
        Assert.Contains("text/html are not accepted", await Rejected(Form(Encoding.UTF8.GetBytes("<script></script>"), "text/html", "page.html")));
        Assert.Contains("The file is empty", await Rejected(Form([], "application/pdf")));
        Assert.Contains("The file is larger than 25 MB", await Rejected(Form([.. Pdf, .. new byte[25 * 1024 * 1024]], "application/pdf")));
        Assert.Contains("Choose what the document is", await Rejected(Form(Pdf, "application/pdf", kind: "Selfie")));
        var noFile = new MultipartFormDataContent { { new StringContent("Evidence"), "kind" } };
        Assert.Contains("Choose a file to upload", await Rejected(noFile));
        Assert.Contains("multipart/form-data", await Rejected(JsonContent.Create(new { file = "x" })));
        Assert.Contains("found a threat", await Rejected(Form(Encoding.ASCII.GetBytes("%PDF-1.4 EICAR test string"), "application/pdf")));
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().MatterDocuments.CountAsync(d => d.MatterId == matter)));
    }

    [Fact]
    public async Task The_matter_page_uploads_lists_and_downloads_documents()
    {
        var net = await app.NetworkAsync();
        var (_, matter) = await NewMatterAsync();
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        async Task<HttpResponseMessage> Post(byte[] content, string type, string name)
        {
            var html = await (await browser.GetAsync($"/matters/{matter}")).Content.ReadAsStringAsync();
            var form = Form(content, type, name, "Evidence");
            form.Add(new StringContent(WebSession.AntiforgeryToken(html)), "__RequestVerificationToken");
            return await browser.PostAsync($"/matters/{matter}/documents", form);
        }
        var ok = await Post(Pdf, "application/pdf", "statement.pdf");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("upload=ok", ok.Headers.Location!.OriginalString);
        var page = await (await browser.GetAsync(ok.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("The document was added.", page);
        Assert.Contains("statement.pdf", page);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/documents/[^\"]+)\"").Groups[1].Value;
        Assert.Equal(Pdf, await (await browser.GetAsync(link)).Content.ReadAsByteArrayAsync());

        var bad = await Post(Encoding.UTF8.GetBytes("<html></html>"), "text/html", "x.html");
        Assert.Contains("upload=type", bad.Headers.Location!.OriginalString);
        Assert.Contains("That kind of file is not accepted", await (await browser.GetAsync(bad.Headers.Location)).Content.ReadAsStringAsync());
        // Without the form's token the post is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync($"/matters/{matter}/documents", Form(Pdf, "application/pdf"))).StatusCode);
    }
}

public sealed class DocumentsSqlite(ScanningSqliteApp app) : DocumentTests<ScanningSqliteApp>(app);
public sealed class DocumentsPostgres(ScanningPostgresApp app) : DocumentTests<ScanningPostgresApp>(app);
