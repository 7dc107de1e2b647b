using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Relief;

public sealed record DeadlinesRequest(Guid? MatterId);

public sealed record DeadlinesAdded(int Added);

public static class ReliefApi
{
    public static IEndpointRouteBuilder MapReliefApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/clients/{id:guid}/relief")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Legal relief");
        api.MapGet("/", async Task<Results<Ok<ReliefView>, NotFound>> (Guid id, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
            await files.GetAsync(Staff.Required(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());

        // A charge as the record CSV names its fields: {"record_id": "...", "offense_section": "PL 230.00", ...}.
        api.MapPut("/charges", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
        {
            var (fields, error) = await JsonBody.ReadAsync<Dictionary<string, string?>>(request, ct);
            if (fields is null) return error!;
            if (fields.Keys.FirstOrDefault(k => !RecordCsv.Columns.Contains(k) || k == "person_ref") is { } unknown)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [unknown] = [$"'{unknown}' is not a field of a charge; use the record CSV's columns except person_ref."] });
            return SaveResults.Saved(await files.SaveChargeAsync(Staff.Required(user), id, fields, ct));
        });
        api.MapDelete("/charges/{recordId}", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, string recordId, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
            SaveResults.Saved(await files.RemoveChargeAsync(Staff.Required(user), id, recordId, ct)));
        // The body is a record CSV (text/csv) for this one client; person_ref is ignored.
        api.MapPost("/charges/import", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            body.Position = 0;
            return SaveResults.Saved(await files.ImportAsync(Staff.Required(user), id, body, ct));
        });
        api.MapPut("/immigration-facts", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
        {
            var (facts, error) = await JsonBody.ReadAsync<Dictionary<string, string>>(request, ct);
            if (facts is null) return error!;
            return SaveResults.Saved(await files.SaveFactsAsync(Staff.Required(user), id, facts, ct));
        });
        api.MapPut("/plan", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
        {
            var (step, error) = await JsonBody.ReadAsync<PlanStep>(request, ct);
            if (step is null) return error!;
            return SaveResults.Saved(await files.SavePlanAsync(Staff.Required(user), id, step, ct));
        });
        api.MapPost("/deadlines", async Task<Results<Ok<DeadlinesAdded>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<DeadlinesRequest>(request, ct);
            if (body is null) return error!;
            if (body.MatterId is not { } matter) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["matterId"] = ["Give the matter the tasks go on."] });
            return await files.AddDeadlinesAsync(Staff.Required(user), id, matter, ct) switch
            {
                null => TypedResults.NotFound(),
                { Problem: { } problem } => TypedResults.ValidationProblem(problem.Errors),
                { Added: var added } => TypedResults.Ok(new DeadlinesAdded(added)),
            };
        });
        // The draft's file name says what it is and nothing about whom.
        static IResult DraftFile(byte[] docx, string kind) =>
            TypedResults.File(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", $"{kind}-DRAFT.docx");
        async Task<IResult> Draft(Guid id, string kind, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
            await files.DraftAsync(Staff.Required(user), id, kind, ct) switch
            {
                null => TypedResults.NotFound(),
                { Problem: { } problem } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["draft"] = [problem] }),
                { Docx: var docx } => DraftFile(docx!, kind),
            };
        api.MapGet("/drafts/{kind}", Draft);
        // The page's links: a draft that cannot be written sends the attorney back with a short code, never the words.
        endpoints.MapGet("/clients/{id:guid}/relief/drafts/{kind}", async (Guid id, string kind, ClaimsPrincipal user, ReliefFiles files, CancellationToken ct) =>
            await files.DraftAsync(Staff.Required(user), id, kind, ct) switch
            {
                null => Results.NotFound(),
                { Problem: { } problem } => Results.LocalRedirect($"~/clients/{id}/relief?draft={(problem.Contains("legal name", StringComparison.Ordinal) ? "legal-name" : "none")}#drafts"),
                { Docx: var docx } => DraftFile(docx!, kind),
            }).RequireAuthorization(new AuthorizeAttribute { Policy = Policies.ClientWork });
        return endpoints;
    }
}
