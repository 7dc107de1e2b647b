using System.Security.Claims;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Consent;

public sealed record DisclosureRequest(RecipientClass? RecipientClass, Guid? RecipientOrganizationId, List<DataCategory>? Categories);

/// <summary>Consent grants, exports through the disclosure guard, the disclosure record, and reads by another organization.</summary>
public static class ConsentApi
{
    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork };
        var api = endpoints.MapGroup("/api/clients/{id:guid}").RequireAuthorization(auth).WithTags("Consent");

        api.MapGet("/consents", async Task<Results<Ok<IReadOnlyList<GrantView>>, NotFound>> (Guid id, ClaimsPrincipal user, Consents consents, CancellationToken ct) =>
            await consents.ListAsync(Staff.Required(user), id, ct) is { } grants ? TypedResults.Ok(grants) : TypedResults.NotFound());

        api.MapPost("/consents", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Consents consents, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<ConsentInput>(request, ct);
            if (input is null) return error!;
            return SaveResults.Created(await consents.RecordAsync(Staff.Required(user), id, input, ct), created => $"/api/clients/{id}/consents/{created}");
        });

        api.MapPost("/consents/{grantId:guid}/revoke", async Task<Results<NoContent, NotFound>> (Guid id, Guid grantId, ClaimsPrincipal user, Consents consents, CancellationToken ct) =>
            await consents.RevokeAsync(Staff.Required(user), id, grantId, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        // An export of the record for a recipient: only what the client's grants allow.
        api.MapPost("/disclosures", async Task<Results<Ok<DisclosurePacket>, NotFound, ValidationProblem, ProblemHttpResult>> (Guid id, HttpRequest request,
            ClaimsPrincipal user, ClientRecords records, Disclosures disclosures, HavenDb db, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<DisclosureRequest>(request, ct);
            if (body is null) return error!;
            var staff = Staff.Required(user);
            if (await records.FindForWorkAsync(staff, id, ct) is null) return TypedResults.NotFound();
            var (recipient, categories, errors) = await ReadRecipientAsync(db, body, ct);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            var outcome = (await disclosures.DiscloseAsync(staff.UserId, staff.OrganizationId, id, recipient!, categories, DisclosureChannel.Export, ct))!;
            return outcome.Packet is { } packet ? TypedResults.Ok(packet) : Refused(outcome.Decision);
        });

        api.MapGet("/disclosure-record", async Task<Results<Ok<DisclosureRecordView>, NotFound>> (Guid id, string? lang, ClaimsPrincipal user, DisclosureRecords history, CancellationToken ct) =>
            await history.BuildAsync(Staff.Required(user), id, lang ?? "en", ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());

        // Another organization of the network reads what the client agreed to share with it. The requester's
        // organization is the recipient; the client's organization keeps the record of it.
        endpoints.MapGet("/api/shared/clients/{id:guid}", async Task<Results<Ok<DisclosurePacket>, NotFound, ValidationProblem, ProblemHttpResult>> (Guid id, string? categories,
            ClaimsPrincipal user, Disclosures disclosures, HavenDb db, CancellationToken ct) =>
        {
            var staff = Staff.Required(user);
            if (!DisclosureGuard.TryParse(categories, out var requested))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["categories"] = [$"Unknown category; use {string.Join(", ", DisclosureGuard.Categories)}."] });
            if (requested == DataCategory.None)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["categories"] = ["Name the categories you are asking for, e.g. ?categories=Identity,Contact."] });
            var owner = await db.Clients.Where(c => c.Id == id && c.OrganizationId != staff.OrganizationId).Select(c => (Guid?)c.OrganizationId).SingleOrDefaultAsync(ct);
            if (owner is null) return TypedResults.NotFound();
            var kind = await db.Organizations.Where(o => o.Id == staff.OrganizationId).Select(o => o.Kind).SingleAsync(ct);
            var outcome = (await disclosures.DiscloseAsync(staff.UserId, owner.Value, id, new Recipient(DisclosureGuard.ClassOf(kind), staff.OrganizationId), requested, DisclosureChannel.ApiRead, ct))!;
            return outcome.Packet is { } packet ? TypedResults.Ok(packet) : Refused(outcome.Decision);
        }).RequireAuthorization(auth).WithTags("Consent");
        return endpoints;
    }

    static ProblemHttpResult Refused(DisclosureDecision decision) => TypedResults.Problem(
        $"No consent of the client's that is in force covers this recipient for: {string.Join(", ", DisclosureGuard.Split(decision.Refused))}. The refusal has been recorded.",
        statusCode: StatusCodes.Status403Forbidden, title: "Disclosure refused");

    /// <summary>Turns a request's recipient and categories into what the guard needs, with errors that name the field.</summary>
    public static async Task<(Recipient? Recipient, DataCategory Categories, Dictionary<string, string[]> Errors)> ReadRecipientAsync(HavenDb db, DisclosureRequest body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var categories = (body.Categories ?? []).Aggregate(DataCategory.None, (all, c) => all | c);
        if (categories == DataCategory.None || body.Categories!.Any(c => !DisclosureGuard.Categories.Contains(c)))
            errors["Categories"] = ["Choose at least one kind of information to share."];
        Recipient? recipient = null;
        if (body.RecipientClass is not { } recipientClass || !Enum.IsDefined(recipientClass))
            errors["RecipientClass"] = ["Choose who the information would go to."];
        else if (recipientClass == RecipientClass.Organization)
        {
            var kind = body.RecipientOrganizationId is { } org
                ? await db.Organizations.Where(o => o.Id == org).Select(o => (Organizations.OrganizationKind?)o.Kind).SingleOrDefaultAsync(ct) : null;
            if (kind is null) errors["RecipientOrganizationId"] = ["Choose an organization of the network."];
            else recipient = new Recipient(DisclosureGuard.ClassOf(kind.Value), body.RecipientOrganizationId);
        }
        else recipient = new Recipient(recipientClass);
        return (recipient, categories, errors);
    }
}
