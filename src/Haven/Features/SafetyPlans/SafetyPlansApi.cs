using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.SafetyPlans;

public static class SafetyPlansApi
{
    public static IEndpointRouteBuilder MapSafetyPlansApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/clients/{id:guid}/safety-plan")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Safety plans");
        api.MapGet("/", async Task<Results<Ok<SafetyPlanView>, NotFound>> (Guid id, ClaimsPrincipal user, SafetyPlans plans, CancellationToken ct) =>
            await plans.GetAsync(Staff.Required(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        api.MapPut("/", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, SafetyPlans plans, CancellationToken ct) =>
        {
            var (content, error) = await JsonBody.ReadAsync<SafetyPlanContent>(request, ct);
            if (content is null) return error!;
            return SaveResults.Saved(await plans.SaveAsync(Staff.Required(user), id, content, ct));
        });
        return endpoints;
    }
}
