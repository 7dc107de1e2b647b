using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Features.Documents;

/// <summary>Documents through the API (bearer) and through the matter page's upload form and download links (cookie).</summary>
public static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder endpoints)
    {
        var bearer = new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork };
        var cookie = new AuthorizeAttribute { Policy = Policies.ClientWork };
        // Room for the largest allowed file plus the multipart framing around it.
        var limit = new RequestSizeLimitAttribute(endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("Documents:MaxMegabytes", 25L) * 1024 * 1024 + 1024 * 1024);

        endpoints.MapPost("/api/matters/{id:guid}/documents", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Documents documents, CancellationToken ct) =>
        {
            var (upload, problem) = await ReadUploadAsync(request, documents, ct);
            if (upload is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["File"] = [problem!] });
            return SaveResults.Created(await documents.UploadAsync(Staff.Required(user), id, upload.Kind, upload.Name, upload.ContentType, upload.Content, ct), created => $"/api/documents/{created}");
        }).RequireAuthorization(bearer).WithMetadata(limit).DisableAntiforgery().WithTags("Documents");

        endpoints.MapGet("/api/documents/{id:guid}", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, ClaimsPrincipal user, Documents documents, CancellationToken ct) =>
            await documents.DownloadAsync(Staff.Required(user), id, ct) is { } file
                ? TypedResults.File(file.Content, file.ContentType, file.Name) : TypedResults.NotFound())
            .RequireAuthorization(bearer).WithTags("Documents");

        // The matter page's form: the outcome travels back as a short code, never as anything about the file.
        endpoints.MapPost("/matters/{id:guid}/documents", async (Guid id, HttpRequest request, ClaimsPrincipal user, Documents documents, CancellationToken ct) =>
        {
            var (upload, _) = await ReadUploadAsync(request, documents, ct);
            if (upload is null) return Results.LocalRedirect($"~/matters/{id}?upload=too-large#documents");
            var result = await documents.UploadAsync(Staff.Required(user), id, upload.Kind, upload.Name, upload.ContentType, upload.Content, ct);
            if (result is null) return Results.NotFound();
            var code = result.Ok ? "ok" : result.Errors.ContainsKey("Kind") ? "kind"
                : result.Errors["File"][0] switch
                {
                    var m when m.StartsWith("Choose a file") || m.StartsWith("The file is empty") => "empty",
                    var m when m.StartsWith("The file is larger") => "too-large",
                    var m when m.StartsWith("The virus scanner") => "scan",
                    var m when m.StartsWith("The file name") => "name",
                    _ => "type",
                };
            return Results.LocalRedirect($"~/matters/{id}?upload={code}#documents");
        }).RequireAuthorization(cookie).WithMetadata(limit).RequireAntiforgery().ExcludeFromDescription();

        endpoints.MapGet("/documents/{id:guid}", async (Guid id, ClaimsPrincipal user, Documents documents, CancellationToken ct) =>
            await documents.DownloadAsync(Staff.Required(user), id, ct) is { } file
                ? Results.File(file.Content, file.ContentType, file.Name) : Results.NotFound())
            .RequireAuthorization(cookie).ExcludeFromDescription();
        return endpoints;
    }

    sealed record Upload(DocumentKind? Kind, string? Name, string? ContentType, byte[] Content);

    /// <summary>Reads a multipart upload with one file and a kind. Null with a reason when the body is not one.</summary>
    static async Task<(Upload? Upload, string? Problem)> ReadUploadAsync(HttpRequest request, Documents documents, CancellationToken ct)
    {
        if (request.ContentLength > documents.MaxBytes + 1024 * 1024)
            return (null, $"The file is larger than {documents.MaxBytes / 1024 / 1024} MB.");
        if (!request.HasFormContentType) return (null, "Send the file as multipart/form-data with a 'file' part and a 'kind' field.");
        IFormCollection form;
        try { form = await request.ReadFormAsync(ct); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, $"The upload could not be read; files are at most {documents.MaxBytes / 1024 / 1024} MB.");
        }
        var file = form.Files.GetFile("file");
        DocumentKind? kind = Enum.TryParse<DocumentKind>(form["kind"], ignoreCase: true, out var k) && Enum.IsDefined(k) ? k : null;
        if (file is null) return (new Upload(kind, null, null, []), null);
        using var buffer = new MemoryStream((int)Math.Min(file.Length, documents.MaxBytes + 1));
        await file.OpenReadStream().CopyToAsync(buffer, ct);
        return (new Upload(kind, file.FileName, file.ContentType, buffer.ToArray()), null);
    }
}
