using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Clients;

public sealed record CreateClientRequest(ClientDetails? Details, Guid? TeamId);
public sealed record BreakGlassRequest(string? Reason);

/// <summary>The JSON API for client records. Bearer tokens only (no cookies, so no cross-site requests).</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/clients")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Clients");

        api.MapGet("/", async Task<Results<Ok<ClientPage>, ValidationProblem>> (int? page, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
            page is < 1 or > 1_000_000
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["page must be between 1 and 1000000."] })
                : TypedResults.Ok(await records.ListAsync(Staff.Required(user), page ?? 1, ct)));

        // Search terms are personal data, so they travel in a POST body, never in a URL.
        api.MapPost("/search", async Task<Results<Ok<IReadOnlyList<SearchHit>>, ValidationProblem>> (HttpRequest request, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
        {
            var (search, error) = await JsonBody.ReadAsync<ClientSearch>(request, ct);
            if (search is null) return error!;
            if (new[] { search.Name, search.LegalName, search.Phone }.All(string.IsNullOrWhiteSpace))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["search"] = ["Give a name, legal name or phone to search for."] });
            if (new[] { search.Name, search.LegalName, search.Phone }.Any(s => s?.Length > 200))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["search"] = ["Search terms are at most 200 characters."] });
            return TypedResults.Ok(await records.SearchAsync(Staff.Required(user), search, ct));
        });

        api.MapGet("/{id:guid}", async Task<Results<Ok<ClientView>, NotFound, ProblemHttpResult>> (Guid id, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
        {
            var found = await records.GetAsync(Staff.Required(user), id, ct);
            if (found.View is not null) return TypedResults.Ok(found.View);
            if (found.NeedsBreakGlass is not null)
                return TypedResults.Problem("You are not on this client's team. POST a reason to /api/clients/{id}/break-glass to open the record; org admins will see it.", statusCode: 403);
            return TypedResults.NotFound();
        });

        api.MapPost("/", async Task<Results<Created<SaveResult>, ValidationProblem>> (HttpRequest request, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CreateClientRequest>(request, ct);
            if (body is null) return error!;
            if (body.Details is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["details"] = ["details is required."] });
            var result = await records.CreateAsync(Staff.Required(user), body.Details, body.TeamId, ct);
            return result.Ok ? TypedResults.Created($"/api/clients/{result.Id}", result) : TypedResults.ValidationProblem(result.Errors);
        });

        api.MapPut("/{id:guid}", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
        {
            var (details, error) = await JsonBody.ReadAsync<ClientDetails>(request, ct);
            if (details is null) return error!;
            return SaveResults.Saved(await records.UpdateAsync(Staff.Required(user), id, details, ct));
        });

        api.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, ClientRecords records, ShredLedger ledger, CancellationToken ct) =>
            await records.ShredAsync(Staff.Required(user), id, ledger, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        api.MapPost("/{id:guid}/break-glass", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, ClientRecords records, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<BreakGlassRequest>(request, ct);
            if (body is null) return error!;
            var errors = await records.BreakGlassAsync(Staff.Required(user), id, body.Reason, ct);
            if (errors is null) return TypedResults.NotFound();
            return errors.Count == 0 ? TypedResults.NoContent() : TypedResults.ValidationProblem(errors);
        });
        return endpoints;
    }
}
