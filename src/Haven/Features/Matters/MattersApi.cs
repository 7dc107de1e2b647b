using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Matters;

public static class MattersApi
{
    public static IEndpointRouteBuilder MapMattersApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork };

        var client = endpoints.MapGroup("/api/clients/{id:guid}/matters").RequireAuthorization(auth).WithTags("Matters");
        client.MapGet("/", async Task<Results<Ok<IReadOnlyList<MatterSummary>>, NotFound>> (Guid id, ClaimsPrincipal user, Matters matters, CancellationToken ct) =>
            await matters.ListAsync(Staff.Required(user), id, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound());
        client.MapPost("/", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Matters matters, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<MatterInput>(request, ct);
            if (input is null) return error!;
            return SaveResults.Created(await matters.OpenAsync(Staff.Required(user), id, input, ct), created => $"/api/matters/{created}");
        });

        var matter = endpoints.MapGroup("/api/matters/{id:guid}").RequireAuthorization(auth).WithTags("Matters");
        matter.MapGet("/", async Task<Results<Ok<MatterView>, NotFound>> (Guid id, ClaimsPrincipal user, Matters matters, CancellationToken ct) =>
            await matters.GetAsync(Staff.Required(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        matter.MapPut("/", async Task<Results<Ok<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Matters matters, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<MatterUpdate>(request, ct);
            if (input is null) return error!;
            return SaveResults.Saved(await matters.UpdateAsync(Staff.Required(user), id, input, ct));
        });
        matter.MapPost("/notes", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Matters matters, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<NoteInput>(request, ct);
            if (input is null) return error!;
            return SaveResults.Created(await matters.AddNoteAsync(Staff.Required(user), id, input, ct), _ => $"/api/matters/{id}");
        });
        return endpoints;
    }
}
