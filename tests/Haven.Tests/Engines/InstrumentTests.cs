using System.Text.Json;
using Haven.Features.Screening;

namespace Haven.Tests.Engines;

public sealed class InstrumentTests
{
    const string Valid = """
    {
      "id": "tiny", "version": "1.0", "kind": "indicators",
      "title": { "en": "Tiny", "es": "Pequeño" },
      "languages": { "en": "reviewed", "es": "draft" },
      "sections": [ { "id": "s", "title": { "en": "S", "es": "S" }, "questions": [
        { "id": "moved", "type": "yes-no", "text": { "en": "Moved?", "es": "¿Se mudó?" } },
        { "id": "papers", "type": "yes-no", "text": { "en": "Does someone keep your papers?", "es": "¿Alguien guarda sus papeles?" },
          "showIf": { "question": "moved", "in": ["yes"] },
          "raises": { "yes": { "indicators": ["CD.DOCUMENTS"] } } },
        { "id": "work", "type": "multiple", "text": { "en": "Work?", "es": "¿Trabajo?" }, "options": [
          { "id": "farm", "text": { "en": "Farm", "es": "Granja" }, "raises": { "facts": ["labor-or-services"] } },
          { "id": "other", "text": { "en": "Other", "es": "Otro" } } ] },
        { "id": "age", "type": "number", "min": 0, "max": 120, "text": { "en": "Age?", "es": "¿Edad?" },
          "below": { "value": 18, "raises": { "facts": ["minor"] } } },
        { "id": "when", "type": "date", "text": { "en": "When?", "es": "¿Cuándo?" } },
        { "id": "notes", "type": "text", "text": { "en": "Notes", "es": "Notas" } }
      ] } ]
    }
    """;

    static List<string> Problems(string json) => InstrumentLibrary.Parse("tiny.json", json).Problems;

    [Fact]
    public void A_valid_instrument_loads_with_its_languages()
    {
        var (instrument, problems) = InstrumentLibrary.Parse("tiny.json", Valid);
        Assert.Empty(problems);
        Assert.Equal(["en", "es"], instrument!.Languages);
        Assert.True(instrument.IsDraft("es"));
        Assert.Equal(("es", false), instrument.Resolve("ES"));
        Assert.Equal(("en", true), instrument.Resolve("ko"));
    }

    [Fact]
    public void A_missing_translation_key_is_refused_naming_file_question_and_language() =>
        Assert.Contains("tiny.json: question \"moved\": text is missing the translation key \"es\".",
            Problems(Valid.Replace("\"en\": \"Moved?\", \"es\": \"¿Se mudó?\"", "\"en\": \"Moved?\"")));

    [Fact]
    public void A_display_condition_cycle_is_refused()
    {
        var json = Valid.Replace("{ \"id\": \"moved\", \"type\": \"yes-no\",", "{ \"id\": \"moved\", \"type\": \"yes-no\", \"showIf\": { \"question\": \"papers\", \"in\": [\"yes\"] },");
        var problem = Assert.Single(Problems(json));
        Assert.StartsWith("tiny.json: question \"", problem);
        Assert.Contains("display conditions form a cycle", problem);
        Assert.Contains("moved", problem);
        Assert.Contains("papers", problem);
    }

    [Fact]
    public void A_question_depending_on_itself_is_a_cycle() =>
        Assert.Contains("display conditions form a cycle: moved → moved", Assert.Single(Problems(
            Valid.Replace("{ \"id\": \"moved\", \"type\": \"yes-no\",", "{ \"id\": \"moved\", \"type\": \"yes-no\", \"showIf\": { \"question\": \"moved\", \"in\": [\"yes\"] },"))));

    [Fact]
    public void An_unknown_indicator_code_is_refused() =>
        Assert.Contains("tiny.json: question \"papers\": answer \"yes\" raises unknown indicator code \"CD.PASSPORTS\".",
            Problems(Valid.Replace("CD.DOCUMENTS", "CD.PASSPORTS")));

    [Fact]
    public void A_duplicate_question_id_is_refused() =>
        Assert.Contains("tiny.json: question \"moved\": duplicate question id.", Problems(Valid.Replace("\"id\": \"notes\"", "\"id\": \"moved\"")));

    [Theory]
    [InlineData("\"in\": [\"yes\"]", "\"in\": [\"maybe\"]", "display condition value \"maybe\" is not an answer of \"moved\"")]
    [InlineData("\"question\": \"moved\"", "\"question\": \"gone\"", "display condition refers to unknown question \"gone\"")]
    [InlineData("\"facts\": [\"labor-or-services\"]", "\"facts\": [\"victim\"]", "sets unknown fact \"victim\"")]
    [InlineData("\"version\": \"1.0\"", "\"version\": \"latest\"", "version \"latest\" must look like 1.0")]
    [InlineData("\"languages\": { \"en\": \"reviewed\", \"es\": \"draft\" }", "\"languages\": { \"es\": \"draft\" }", "languages must include \"en\"")]
    [InlineData("\"type\": \"date\"", "\"type\": \"date\", \"options\": []", "a date question cannot have options")]
    public void Other_mistakes_are_named(string from, string to, string expected) =>
        Assert.Contains(Problems(Valid.Replace(from, to)), p => p.Contains(expected));

    [Theory]
    [InlineData("{", "not a valid instrument file")]
    [InlineData("{ \"id\": \"x\" }", "missing required properties")]
    [InlineData("[]", "not a valid instrument file")]
    public void Malformed_files_are_refused_with_the_file_name(string json, string expected)
    {
        var problem = Assert.Single(Problems(json));
        Assert.StartsWith("tiny.json: ", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void The_library_refuses_a_bad_file_and_keeps_the_good_ones()
    {
        var library = InstrumentLibrary.Load([("tiny.json", Valid), ("broken.json", Valid.Replace("CD.DOCUMENTS", "NOPE")), ("again.json", Valid)]);
        Assert.Equal(["tiny"], library.Instruments.Keys);
        Assert.Equal(["broken.json", "again.json"], library.Refused.Select(r => r.File));
        Assert.Contains("already used", library.Refused[1].Problems[0]);
    }

    [Fact]
    public void The_built_in_instruments_all_load()
    {
        var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
        Assert.Empty(library.Refused);
        Assert.Equal(["court-screen", "full-screen", "needs-check", "short-screen"], library.Instruments.Keys.Order());
        foreach (var id in new[] { "short-screen", "needs-check" })
            Assert.Superset(new HashSet<string> { "en", "es", "zh-Hans", "ko" }, library.Instruments[id].Languages.ToHashSet());
        foreach (var instrument in library.Instruments.Values) Assert.Contains("es", instrument.Languages);
        Assert.InRange(library.Instruments["full-screen"].Questions.Count, 28, 60);
        Assert.InRange(library.Instruments["short-screen"].Questions.Count, 12, 20);
    }

    // Answers.
    static Instrument Tiny() => InstrumentLibrary.Parse("tiny.json", Valid).Instrument!;

    static Dictionary<string, string[]> Errors(string answers) =>
        AnswerSheet.Parse(Tiny(), JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(answers)).Errors;

    [Theory]
    [InlineData("""{ "nope": "yes" }""", "nope", "\"nope\" is not a question of instrument \"tiny\".")]
    [InlineData("""{ "moved": true }""", "moved", "\"moved\" takes one of yes, no, unsure, prefer-not.")]
    [InlineData("""{ "moved": "maybe" }""", "moved", "\"maybe\" is not an answer to \"moved\"")]
    [InlineData("""{ "work": "farm" }""", "work", "\"work\" takes a list of option ids: farm, other.")]
    [InlineData("""{ "work": ["farm", "mine"] }""", "work", "\"mine\" is not an option of \"work\"")]
    [InlineData("""{ "age": "seventeen" }""", "age", "\"age\" takes a number.")]
    [InlineData("""{ "age": 130 }""", "age", "\"age\" takes a number from 0 to 120.")]
    [InlineData("""{ "when": "22/11/2026" }""", "when", "\"when\" takes a date as yyyy-mm-dd.")]
    [InlineData("""{ "notes": 5 }""", "notes", "\"notes\" takes text.")]
    [InlineData("""{ "moved": "no", "papers": "yes" }""", "papers", "\"papers\" is hidden by the skip logic: it is asked only when \"moved\" is \"yes\".")]
    [InlineData("""{ "papers": "yes" }""", "papers", "is hidden by the skip logic")]
    public void Bad_answers_are_named(string answers, string question, string expected) =>
        Assert.Contains(expected, Assert.Single(Errors(answers)[question]));

    [Fact]
    public void Skipped_questions_and_shown_follow_ups_are_accepted()
    {
        var (sheet, errors) = AnswerSheet.Parse(Tiny(), JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{ "moved": "yes", "papers": "yes", "work": ["farm"], "age": 40, "when": "2026-01-31", "notes": null }"""));
        Assert.Empty(errors);
        var result = ScreeningEngine.Evaluate(sheet!);
        Assert.Contains(result.Indicators, i => i.Code == "CD.DOCUMENTS");
        Assert.Equal([Facts.LaborOrServices], result.Facts);
        Assert.Equal(5, sheet!.ToJson().Count);
    }

    // The validator knows a situation from an act, and which work a question is about, so the defects cannot come back.
    [Theory]
    // The old full screen: "When you started, were any of these true?" / "I badly needed money" raising abuse of economic hardship.
    [InlineData("{ \"id\": \"hard-times\", \"type\": \"multiple\", \"text\": { \"en\": \"When you started, were any of these true?\", \"es\": \"¿Era cierto?\" }, \"options\": [ { \"id\": \"money\", \"text\": { \"en\": \"I badly needed money\", \"es\": \"Necesitaba dinero\" }, \"raises\": { \"indicators\": [\"AR.ECONOMIC\"] } }, { \"id\": \"none\", \"text\": { \"en\": \"None\", \"es\": \"Nada\" } } ] }",
        "question \"hard-times\": option \"money\" raises AR.ECONOMIC, but the wording asks about the person's own situation")]
    // A true warning about the police, raised as false information about the law.
    [InlineData("{ \"id\": \"warned\", \"type\": \"yes-no\", \"text\": { \"en\": \"Were you told the police may arrest sex workers?\", \"es\": \"¿Le dijeron?\" }, \"raises\": { \"yes\": { \"indicators\": [\"AR.FALSE_INFO_LAW\"] } } }",
        "question \"warned\": answer \"yes\" raises AR.FALSE_INFO_LAW, which is the abuse or imposition of a situation")]
    // Not speaking the language, raised as abuse of it.
    [InlineData("{ \"id\": \"language\", \"type\": \"yes-no\", \"text\": { \"en\": \"Is it hard to get help because of the language?\", \"es\": \"¿Idioma?\" }, \"raises\": { \"yes\": { \"indicators\": [\"AD.LANGUAGE\"] } } }",
        "question \"language\": answer \"yes\" raises AD.LANGUAGE, but the wording asks about the person's own situation")]
    // Informal work read as exploitation.
    [InlineData("{ \"id\": \"hours\", \"type\": \"yes-no\", \"text\": { \"en\": \"Do you work long or irregular hours?\", \"es\": \"¿Horas?\" }, \"raises\": { \"yes\": { \"indicators\": [\"EX.EXCESSIVE_HOURS\"] } } }",
        "question \"hours\": answer \"yes\" raises EX.EXCESSIVE_HOURS, but the wording asks about the person's own situation")]
    // A situation recorded and raised as an indicator in one answer.
    [InlineData("{ \"id\": \"papers\", \"type\": \"yes-no\", \"text\": { \"en\": \"Does someone know you have no papers?\", \"es\": \"¿Papeles?\" }, \"raises\": { \"yes\": { \"facts\": [\"situation:no-papers\"], \"indicators\": [\"AD.IRREGULAR_STATUS\"] } } }",
        "question \"papers\": answer \"yes\" records the person's situation (\"situation:no-papers\") and also raises AD.IRREGULAR_STATUS")]
    // "Started trading sex or doing this work before 18" recording commercial sex from an answer that is not about it.
    [InlineData("{ \"id\": \"young\", \"type\": \"yes-no\", \"text\": { \"en\": \"Did you start this work before you were 18?\", \"es\": \"¿Antes de 18?\" }, \"raises\": { \"yes\": { \"facts\": [\"commercial-sex\"] } } }",
        "question \"young\": answer \"yes\" records commercial sex, but its wording does not ask about trading sex.")]
    // Forced domestic work put on the sexual exploitation track.
    [InlineData("{ \"id\": \"home-forced\", \"type\": \"yes-no\", \"showIf\": { \"question\": \"work\", \"in\": [\"farm\"] }, \"text\": { \"en\": \"Has someone made you work when you said no?\", \"es\": \"¿Le obligaron?\" }, \"raises\": { \"yes\": { \"indicators\": [\"CD.FORCED_TASKS\"], \"track\": \"sexual\" } } }",
        "question \"home-forced\": answer \"yes\" puts indicators on the sexual exploitation track, but the question is not asked only of someone who said they trade sex")]
    [InlineData("{ \"id\": \"any-forced\", \"type\": \"yes-no\", \"text\": { \"en\": \"Has someone made you work when you said no?\", \"es\": \"¿Le obligaron?\" }, \"raises\": { \"yes\": { \"indicators\": [\"CD.FORCED_TASKS\"], \"track\": \"labour\" } } }",
        "question \"any-forced\": answer \"yes\" puts indicators on the labour track, but the question is not asked only of someone who named work other than sex work")]
    [InlineData("{ \"id\": \"later\", \"type\": \"yes-no\", \"revised\": \"2.0\", \"text\": { \"en\": \"Later?\", \"es\": \"¿Luego?\" } }",
        "question \"later\": revised \"2.0\" must be a version no later than the instrument's (1.0).")]
    [InlineData("{ \"id\": \"guided\", \"type\": \"yes-no\", \"guidance\": { \"en\": \"Ask gently.\" }, \"text\": { \"en\": \"Guided?\", \"es\": \"¿Guiada?\" } }",
        "question \"guided\": guidance is missing the translation key \"es\".")]
    public void A_question_whose_mapping_contradicts_its_wording_is_refused(string question, string expected)
    {
        var problems = Problems(Valid.Replace("{ \"id\": \"when\",", question + ",\n        { \"id\": \"when\","));
        Assert.Contains(problems, p => p.StartsWith("tiny.json: ", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_question_asked_only_after_the_work_it_is_about_may_name_its_track()
    {
        var question = "{ \"id\": \"farm-forced\", \"type\": \"yes-no\", \"showIf\": { \"question\": \"work\", \"in\": [\"farm\"] }, \"text\": { \"en\": \"On the farm, has someone made you work when you said no?\", \"es\": \"¿Le obligaron?\" }, \"raises\": { \"yes\": { \"indicators\": [\"CD.FORCED_TASKS\"], \"track\": \"labour\" } } }";
        Assert.Empty(Problems(Valid.Replace("{ \"id\": \"when\",", question + ",\n        { \"id\": \"when\",")));
    }
}

