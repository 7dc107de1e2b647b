using System.Security.Claims;
using System.Text.Json;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Features.Screening;

public sealed record OptionInfo(string Id, string Text);
public sealed record QuestionInfo(string Id, string Section, QuestionType Type, string Text, string? Guidance, Condition? ShowIf, IReadOnlyList<OptionInfo>? Options, double? Min, double? Max);
public sealed record LanguageInfo(string Code, TranslationStatus Status);
public sealed record InstrumentInfo(string Id, string Version, InstrumentKind Kind, string Title, IReadOnlyList<LanguageInfo> Languages,
    string Language, bool LanguageFellBack, IReadOnlyList<QuestionInfo> Questions);

public sealed record EvaluateRequest(string? Instrument, Dictionary<string, JsonElement>? Answers, string? Language);
public sealed record EvaluateResponse(string Language, bool LanguageFellBack, string? Notice, ScreeningResult Result, HtcdsOutcome Htcds);
public sealed record AnswersRequest(Dictionary<string, JsonElement>? Answers, bool Complete);
public sealed record AttachRequest(Guid? ClientId);

public static class ScreeningApi
{
    public static IEndpointRouteBuilder MapScreeningApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = TokenAuthenticationHandler.SchemeName, Policy = Policies.ClientWork })
            .WithTags("Screening");

        api.MapGet("/screening/instruments", (string? lang, InstrumentLibrary library) =>
            TypedResults.Ok(library.Instruments.Values.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => Describe(i, lang)).ToList()));

        // Nothing is stored and no client is involved: answers in, result out.
        api.MapPost("/screening/evaluate", async Task<Results<Ok<EvaluateResponse>, ValidationProblem>> (HttpRequest request, InstrumentLibrary library, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<EvaluateRequest>(request, ct);
            if (body is null) return error!;
            var (response, errors) = Evaluate(library, body.Instrument, body.Answers, body.Language);
            return response is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(response);
        });

        api.MapPost("/screenings", async Task<Results<Created<SaveResult>, NotFound, ValidationProblem>> (HttpRequest request, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ScreeningStart>(request, ct);
            if (body is null) return error!;
            return SaveResults.Created(await screenings.StartAsync(Staff.Required(user), body, ct), id => $"/api/screenings/{id}");
        });
        api.MapGet("/clients/{id:guid}/screenings", async Task<Results<Ok<IReadOnlyList<ScreeningSummary>>, NotFound>> (Guid id, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
            await screenings.ListForClientAsync(Staff.Required(user), id, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound());
        api.MapGet("/screenings/{id:guid}", async Task<Results<Ok<ScreeningView>, NotFound>> (Guid id, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
            await screenings.GetAsync(Staff.Required(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound());
        api.MapPut("/screenings/{id:guid}/answers", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AnswersRequest>(request, ct);
            if (body is null) return error!;
            var (found, errors) = await screenings.AnswerAsync(Staff.Required(user), id, body.Answers, body.Complete, ct);
            return !found ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });
        api.MapPost("/screenings/{id:guid}/reevaluate", async Task<Results<Ok<ScreeningView>, NotFound, ValidationProblem>> (Guid id, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
        {
            var staff = Staff.Required(user);
            var (found, errors) = await screenings.ReevaluateAsync(staff, id, ct);
            if (!found) return TypedResults.NotFound();
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            return await screenings.GetAsync(staff, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
        });
        api.MapPost("/screenings/{id:guid}/stop", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
            await screenings.StopAsync(Staff.Required(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapPost("/screenings/{id:guid}/attach", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, HttpRequest request, ClaimsPrincipal user, Screenings screenings, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AttachRequest>(request, ct);
            if (body is null) return error!;
            var errors = await screenings.AttachAsync(Staff.Required(user), id, body.ClientId, ct);
            return errors is null ? TypedResults.NotFound() : errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
        });
        return endpoints;
    }

    public static InstrumentInfo Describe(Instrument instrument, string? language)
    {
        var (lang, fellBack) = instrument.Resolve(language);
        var questions = instrument.File.Sections.SelectMany(s => s.Questions.Select(q => new QuestionInfo(q.Id, s.Id, q.Type, Instrument.Text(q.Text, lang),
            q.Guidance is null ? null : Instrument.Text(q.Guidance, lang), q.ShowIf,
            q.Type == QuestionType.YesNo ? [.. Instrument.YesNoValues.Select(v => new OptionInfo(v, YesNoText.For(v, lang)))]
                : q.Options?.Select(o => new OptionInfo(o.Id, Instrument.Text(o.Text, lang))).ToList(),
            q.Min, q.Max))).ToList();
        return new InstrumentInfo(instrument.Id, instrument.Version, instrument.Kind, Instrument.Text(instrument.File.Title, lang),
            [.. instrument.File.Languages.Select(l => new LanguageInfo(l.Key, l.Value))], lang, fellBack, questions);
    }

    /// <summary>The stateless evaluation shared by the API and the CLI.</summary>
    public static (EvaluateResponse? Response, Dictionary<string, string[]> Errors) Evaluate(InstrumentLibrary library, string? instrumentId,
        IReadOnlyDictionary<string, JsonElement>? answers, string? language)
    {
        if (string.IsNullOrWhiteSpace(instrumentId))
            return (null, new() { ["instrument"] = ["Name the instrument to evaluate."] });
        if (!library.Instruments.TryGetValue(instrumentId, out var instrument))
            return (null, new() { ["instrument"] = [$"There is no instrument \"{instrumentId}\". Known: {string.Join(", ", library.Instruments.Keys.Order(StringComparer.Ordinal))}."] });
        var (sheet, errors) = AnswerSheet.Parse(instrument, answers);
        if (sheet is null) return (null, errors.ToDictionary(e => $"answers.{e.Key}", e => e.Value));
        var (lang, fellBack) = instrument.Resolve(language);
        var notice = fellBack ? $"Instrument \"{instrument.Id}\" has no \"{language}\" text; English is used." : null;
        var result = ScreeningEngine.Evaluate(sheet);
        return (new EvaluateResponse(lang, fellBack, notice, result, HtcdsExchange.From(result)), []);
    }
}

/// <summary>The built-in answers of a yes / no question in each language Haven ships; others fall back to English.</summary>
public static class YesNoText
{
    static readonly Dictionary<string, string[]> Texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = ["Yes", "No", "Not sure", "Prefer not to say"],
        ["es"] = ["Sí", "No", "No estoy seguro/a", "Prefiero no decirlo"],
        ["zh-Hans"] = ["是", "否", "不确定", "不想说"],
        ["ko"] = ["예", "아니요", "잘 모르겠음", "말하고 싶지 않음"],
    };

    public static string For(string value, string language)
    {
        var texts = Texts.GetValueOrDefault(language) ?? Texts["en"];
        var index = Instrument.YesNoValues.ToList().IndexOf(value);
        return index < 0 ? value : texts[index];
    }
}
