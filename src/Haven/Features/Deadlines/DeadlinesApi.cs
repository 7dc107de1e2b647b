using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Deadlines;

public sealed record FeedCreated(string Url);

public static class DeadlinesApi
{
    public static IEndpointRouteBuilder MapDeadlinesApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork };
        var api = endpoints.MapGroup("/api").RequireAuthorization(auth).WithTags("Deadlines");

        api.MapPost("/matters/{id:guid}/tasks", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Deadlines deadlines, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<TaskInput>(request, ct);
            if (input is null) return error!;
            return SaveResults.Created(await deadlines.AddAsync(Staff.Required(user), id, input, ct), _ => "/api/deadlines");
        });
        api.MapPost("/tasks/{id:guid}/complete", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Deadlines deadlines, CancellationToken ct) =>
            await deadlines.CompleteAsync(Staff.Required(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapGet("/deadlines", async (ClaimsPrincipal user, Deadlines deadlines, CancellationToken ct) =>
            TypedResults.Ok(await deadlines.MineAsync(Staff.Required(user), ct)));
        api.MapPost("/calendar-feed", async (HttpRequest request, ClaimsPrincipal user, Deadlines deadlines, CancellationToken ct) =>
            TypedResults.Ok(new FeedCreated(FeedUrl(request, await deadlines.NewFeedAsync(Staff.Required(user), ct)))));
        api.MapDelete("/calendar-feed", async (ClaimsPrincipal user, Deadlines deadlines, CancellationToken ct) =>
        {
            await deadlines.RevokeFeedAsync(Staff.Required(user), ct);
            return TypedResults.NoContent();
        });

        // The feed itself: no sign-in (calendar apps cannot), the secret in the URL is the credential.
        endpoints.MapGet("/calendar/{secret}.ics", async Task<Results<ContentHttpResult, NotFound<string>, ProblemHttpResult>> (string secret, Deadlines deadlines, CancellationToken ct) =>
        {
            var (status, calendar) = await deadlines.FeedAsync(secret, ct);
            return status switch
            {
                Deadlines.FeedStatus.Ok => TypedResults.Text(calendar!, "text/calendar; charset=utf-8"),
                Deadlines.FeedStatus.Revoked => TypedResults.Problem("This calendar feed was revoked. Create a new feed on the My deadlines page.", statusCode: StatusCodes.Status410Gone),
                _ => TypedResults.NotFound("No such calendar feed."),
            };
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    public static string FeedUrl(HttpRequest request, string secret) => $"{request.Scheme}://{request.Host}/calendar/{secret}.ics";
}
