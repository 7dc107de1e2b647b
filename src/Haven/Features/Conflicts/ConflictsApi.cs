using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Conflicts;

public sealed record ConflictCheckRequest(List<string?>? Names);
public sealed record ConflictDecision(ConflictOutcome? Outcome);

public static class ConflictsApi
{
    public static IEndpointRouteBuilder MapConflictsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Conflict checks");

        // Names to check are personal data: they travel in the body, never in a URL.
        api.MapPost("/conflict-checks", async Task<Results<Ok<ConflictResult>, ValidationProblem>> (HttpRequest request, ClaimsPrincipal user, Conflicts conflicts, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ConflictCheckRequest>(request, ct);
            if (body is null) return error!;
            var (result, errors) = await conflicts.CheckAsync(Staff.Required(user), body.Names, ct);
            return result is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(result);
        });
        api.MapPost("/conflict-checks/{id:guid}/outcome", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Conflicts conflicts, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ConflictDecision>(request, ct);
            if (body is null) return error!;
            var errors = await conflicts.DecideAsync(Staff.Required(user), id, body.Outcome, ct);
            if (errors is null) return TypedResults.NotFound();
            return errors.Count == 0 ? TypedResults.NoContent() : TypedResults.ValidationProblem(errors);
        });
        api.MapPost("/matters/{id:guid}/adverse-parties", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Conflicts conflicts, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AdversePartyInput>(request, ct);
            if (body is null) return error!;
            return SaveResults.Created(await conflicts.AddPartyAsync(Staff.Required(user), id, body, ct), _ => $"/api/matters/{id}");
        });
        api.MapGet("/matters/{id:guid}/adverse-parties", async (Guid id, ClaimsPrincipal user, Conflicts conflicts, CancellationToken ct) =>
            TypedResults.Ok(await conflicts.PartiesAsync(Staff.Required(user), id, ct)));
        return endpoints;
    }
}
