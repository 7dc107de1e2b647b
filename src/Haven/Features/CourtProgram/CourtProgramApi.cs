using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.CourtProgram;

public sealed record OutcomeRequest(ServicesOutcome? Outcome);
public sealed record StartScreenRequest(bool? Agreed, string? Language);

public static class CourtProgramApi
{
    public static IEndpointRouteBuilder MapCourtProgramApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/court")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Court program");

        api.MapGet("/calendar", async Task<Results<Ok<IReadOnlyList<CalendarLine>>, ValidationProblem>> (string? date, string? part, ClaimsPrincipal user, CourtCalendar calendar, CancellationToken ct) =>
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["Give the day as date=yyyy-mm-dd."] });
            return TypedResults.Ok(await calendar.DayAsync(Staff.Required(user), day, part, ct));
        });
        api.MapPost("/appearances", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (HttpRequest request, ClaimsPrincipal user, CourtCalendar calendar, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AppearanceInput>(request, ct);
            if (body is null) return error!;
            return SaveResults.Created(await calendar.AddAsync(Staff.Required(user), body, ct), id => $"/api/court/appearances/{id}");
        });
        api.MapPut("/appearances/{id:guid}/outcome", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, CourtCalendar calendar, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<OutcomeRequest>(request, ct);
            if (body is null) return error!;
            var errors = await calendar.RecordOutcomeAsync(Staff.Required(user), id, body.Outcome, ct);
            return errors is null ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });
        api.MapPost("/appearances/{id:guid}/screening", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, CourtCalendar calendar, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<StartScreenRequest>(request, ct);
            if (body is null) return error!;
            return SaveResults.Created(await calendar.StartScreenAsync(Staff.Required(user), id, body.Agreed, body.Language, ct), sid => $"/api/screenings/{sid}");
        });
        // 403 with the categories refused when no grant to the court covers the letter; the refusal is recorded.
        api.MapPost("/appearances/{id:guid}/letter", async Task<Results<Ok<CourtLetter>, NotFound, ValidationProblem, ProblemHttpResult>> (Guid id, HttpRequest request, ClaimsPrincipal user, CourtCalendar calendar, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CourtLetterRequest>(request, ct);
            if (body is null) return error!;
            var result = await calendar.LetterAsync(Staff.Required(user), id, body, ct);
            if (result is not var (letter, _, errors)) return TypedResults.NotFound();
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            if (letter is null)
                return TypedResults.Problem(statusCode: 403, title: "Not shared: no consent to the court covers this letter.",
                    detail: "Record the person's consent to share case notes (and, if they agree, their identity) with the court.");
            return TypedResults.Ok(letter);
        });
        return endpoints;
    }
}
