using System.Globalization;
using System.Security.Claims;
using Haven.Features.Accounts;
using Haven.Features.Consent;
using Haven.Features.ServiceDirectory;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Referrals;

public sealed record MatchResponse(IReadOnlyList<MatchLine> Matches, IReadOnlyList<LeftOutLine> LeftOut);
public sealed record MatchLine(string ServiceId, string Name, string Explanation, double? DistanceKm, bool Stale);
public sealed record LeftOutLine(string ServiceId, string Name, IReadOnlyList<string> Reasons);
public sealed record ReferralPreview(IReadOnlyList<DataCategory> Shared, IReadOnlyList<DataCategory> Withheld, DisclosurePacket? Packet);

/// <summary>Staff API: matching services to a client's needs, referrals both ways, and a provider's own listings.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Referrals");

        api.MapGet("/directory/match", async Task<Results<Ok<MatchResponse>, ValidationProblem>> (HttpRequest request, ServiceMatching matching, CancellationToken ct) =>
        {
            var (match, place, errors) = MatchQuery.Parse(request.Query);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            var (outcome, problem) = await matching.MatchAsync(match!, place, ct);
            if (outcome is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = [problem!] });
            return TypedResults.Ok(new MatchResponse(
                [.. outcome.Matches.Select(m => new MatchLine(m.Service.ServiceId, m.Service.Name, m.Explanation, m.Service.DistanceMetres / 1000, m.Stale))],
                [.. outcome.LeftOut.Select(l => new LeftOutLine(l.Service.ServiceId, l.Service.Name, l.Reasons))]));
        });

        api.MapGet("/clients/{id:guid}/referrals/preview", async Task<Results<Ok<ReferralPreview>, NotFound, ValidationProblem>> (Guid id, string? service, string? share, ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
        {
            if (!DisclosureGuard.TryParse(share, out var categories)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["share"] = ["Unknown category; use Identity, Contact, ScreeningResults, Immigration, CriminalRecord, Health, CaseNotes or Documents."] });
            var (outcome, _, errors) = await referrals.PreviewAsync(Staff.Required(user), id, service, categories, ct);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            if (outcome is null) return TypedResults.NotFound();
            return TypedResults.Ok(new ReferralPreview([.. DisclosureGuard.Split(outcome.Decision.Allowed)], [.. DisclosureGuard.Split(outcome.Decision.Refused)], outcome.Packet));
        });
        api.MapPost("/clients/{id:guid}/referrals", async Task<Results<Created<ReferralView>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ReferralRequest>(request, ct);
            if (body is null) return error!;
            var staff = Staff.Required(user);
            var result = await referrals.SendAsync(staff, id, body, ct);
            if (result is null) return TypedResults.NotFound();
            if (result.Value.Errors.Count > 0) return TypedResults.ValidationProblem(result.Value.Errors);
            return TypedResults.Created($"/api/referrals/{result.Value.Id}", (await referrals.GetAsync(staff, result.Value.Id!.Value, ct))!);
        });
        api.MapGet("/clients/{id:guid}/referrals", async Task<Results<Ok<IReadOnlyList<ReferralView>>, NotFound>> (Guid id, ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
            await referrals.ForClientAsync(Staff.Required(user), id, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound());
        api.MapGet("/referrals/inbox", async (ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
            TypedResults.Ok(await referrals.InboxAsync(Staff.Required(user), ct)));
        api.MapGet("/referrals/{id:guid}", async Task<Results<Ok<ReferralView>, NotFound>> (Guid id, ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
            await referrals.GetAsync(Staff.Required(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        api.MapPost("/referrals/{id:guid}/status", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Referrals referrals, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<StatusChange>(request, ct);
            if (body is null) return error!;
            var (found, errors) = await referrals.ChangeAsync(Staff.Required(user), id, body, ct);
            return !found ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });

        api.MapPut("/directory/services/{id}/capacity", async Task<Results<NoContent, NotFound, ValidationProblem>> (string id, HttpRequest request, ClaimsPrincipal user, Listings listings, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CapacityUpdate>(request, ct);
            if (body is null) return error!;
            var errors = await listings.UpdateCapacityAsync(Staff.Required(user), id, body, ct);
            return errors is null ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });
        api.MapPost("/directory/services/{id}/verify", async Task<Results<NoContent, NotFound>> (string id, ClaimsPrincipal user, Listings listings, CancellationToken ct) =>
            await listings.VerifyAsync(Staff.Required(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapPut("/directory/services/{id}", async Task<Results<NoContent, NotFound, ValidationProblem>> (string id, HttpRequest request, ClaimsPrincipal user, Listings listings, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ListingEdit>(request, ct);
            if (body is null) return error!;
            var errors = await listings.EditAsync(Staff.Required(user), id, body, ct);
            return errors is null ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });
        return endpoints;
    }

}

/// <summary>The matching query as the API and the page take it: need, language and attribute repeated; place; constraints.</summary>
public static class MatchQuery
{
    public static (MatchRequest?, MatchPlace?, Dictionary<string, string[]>) Parse(IQueryCollection q)
    {
        var errors = new Dictionary<string, string[]>();
        var needs = q["need"].OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        var languages = q["language"].OfType<string>().Where(n => n.Length > 0).Select(l => l.ToLowerInvariant()).Distinct().ToList();
        var attributes = q["attribute"].OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        if (needs.Count == 0) errors["need"] = ["Choose at least one need."];
        else if (needs.FirstOrDefault(n => !Screening.Needs.All.ContainsKey(n)) is { } bad) errors["need"] = [$"'{bad}' is not a need; see the needs check."];
        if (languages.FirstOrDefault(l => l.Length > 12) is not null) errors["language"] = ["Give languages as codes such as es or zh."];
        if (attributes.FirstOrDefault(a => !DirectoryVocabulary.Attributes.ContainsKey(a)) is { } unknown) errors["attribute"] = [$"'{unknown}' is not a Haven attribute."];

        int? age = null;
        if (q["age"].FirstOrDefault() is { Length: > 0 } a)
        {
            if (int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 120) age = n;
            else errors["age"] = ["Age must be a whole number from 0 to 120."];
        }
        double radius = 25_000;
        if (q["radius_km"].FirstOrDefault() is { Length: > 0 } r)
        {
            if (double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var km) && km > 0 && km <= 500) radius = km * 1000;
            else errors["radius_km"] = ["The radius must be more than 0 and at most 500 km."];
        }
        DateTime? openAt = null;
        if (q["open_at"].FirstOrDefault() is { Length: > 0 } o)
        {
            if (DateTime.TryParse(o, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) openAt = at;
            else errors["open_at"] = ["Give the time as 2026-11-23T14:00 (local time at the service)."];
        }
        double? lat = null, lon = null;
        if (q["lat"].FirstOrDefault() is { Length: > 0 } la || q["lon"].FirstOrDefault() is { Length: > 0 })
        {
            if (double.TryParse(q["lat"].FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var la2) && la2 is >= -90 and <= 90
                && double.TryParse(q["lon"].FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo2) && lo2 is >= -180 and <= 180)
                (lat, lon) = (la2, lo2);
            else errors["lat"] = ["Give lat from -90 to 90 and lon from -180 to 180, together."];
        }
        var postcode = q["postcode"].FirstOrDefault() is { Length: > 0 } p ? p.Trim() : null;
        if (postcode?.Length > 20) errors["postcode"] = ["The postcode is too long."];
        var capacity = q["capacity"].FirstOrDefault() is "true" or "on";
        if (errors.Count > 0) return (null, null, errors);
        var place = lat is not null || postcode is not null ? new MatchPlace(lat, lon, postcode) : null;
        return (new MatchRequest(needs, languages, attributes, age, place is null ? null : radius, openAt, capacity), place, errors);
    }
}
