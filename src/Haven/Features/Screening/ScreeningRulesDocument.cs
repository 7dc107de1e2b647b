using System.Text;

namespace Haven.Features.Screening;

/// <summary>
/// Writes docs/screening-rules.md from the catalogue and the instruments, in plain words a subject-matter expert can
/// review: what each answer raises and why. Generated, so it cannot drift from the code (a test compares the file).
/// </summary>
public static class ScreeningRulesDocument
{
    public static string Render(InstrumentLibrary library)
    {
        var md = new StringBuilder();
        md.AppendLine("# Screening rules").AppendLine();
        md.AppendLine($"Generated from the indicator catalogue and the instruments (rules {ScreeningEngine.RulesVersion}) by `haven screening rules`. Do not edit by hand; ADR 0013 says why the rules are what they are.").AppendLine();

        md.AppendLine("## How a result is decided").AppendLine();
        md.AppendLine("1. **Situations are facts, not indicators.** Needing money, having no papers, not speaking the language, a family situation, having been introduced to the work by someone trusted, having been warned that the police may arrest sex workers, having been told the work would be easy, depending on an employer for housing, working without a contract or long hours: each is recorded as the person's situation and raises nothing. The ILO's wording is *abuse of* vulnerability (ILO 2012); a separate question asks whether someone used the situation, and only that answer raises the indicator.");
        md.AppendLine("2. **Indicators describe what someone else did or imposed.** Exploitative conditions count only when someone imposes them and the person cannot refuse. Underpayment is low pay (an exploitation indicator) and a labour-rights referral; it is never coercion. Withholding wages counts as coercion only when it is done to make the person stay.");
        md.AppendLine("3. **Each indicator counts on the track of the work where it happened.** The sexual exploitation track exists only for someone who answered that they trade sex. Everything else, and everyone who names no work, is on the labour track. For someone who names both, the instrument asks where things happened; until it is answered, the indicators count on neither track and the result asks the screener to find out.");
        md.AppendLine("4. **On each track,** the ILO/EC combination rule makes a dimension positive (two strong indicators; one strong and one medium or weak; three medium; or two medium and one weak), and the decision rule for the person's age group *now* is applied: adults need a recruitment dimension (deceptive, coercive or by abuse of vulnerability), exploitative conditions, and coercion or abuse of vulnerability at destination; someone under 18 now needs a recruitment dimension and exploitative conditions.");
        md.AppendLine("5. **The federal elements** (22 U.S.C. 7102) are gathered per track from the indicators' mappings below. 7102(11)(A) is supported by a commercial sex act (7102(4)) with an action and force, fraud or coercion, or by a person under 18 in commercial sex. 7102(11)(B) is supported by an action, force, fraud or coercion, and a purpose: involuntary servitude (7102(8)), peonage, debt bondage (7102(7)) or slavery. Coercion is only what 7102(3) says: (A) threats of serious harm or physical restraint, (B) a scheme to make the person believe refusing would bring them, (C) abuse or threatened abuse of the legal process (7102(1)).");
        md.AppendLine("6. **Age.** \"Under 18 now\" (from the age given) applies the child rules, and a current minor in commercial sex gets the organization's reporting duties. \"Under 18 when it began\" is a fact about the past: an adult who was under 18 in commercial sex gets the legal finding for that time (it can matter for a T visa) and no reporting step. Commercial sex is recorded only from an answer about commercial sex; \"started this work before 18\" speaks of commercial sex only when commercial sex is the only work the person named.");
        md.AppendLine();
        md.AppendLine("### The ladder").AppendLine();
        md.AppendLine("| Result | When |").AppendLine("|---|---|");
        md.AppendLine($"| {ScreeningEngine.SummaryTexts[Summary.IndicatorsPresent]} | A track meets the ILO/EC decision rule; or the answers support every element of a severe form of trafficking under 7102(11) on a track; or the person was under 18 in commercial sex. |");
        md.AppendLine($"| {ScreeningEngine.SummaryTexts[Summary.ConsiderFullAssessment]} | Some indicators, but none of the above. |");
        md.AppendLine($"| {ScreeningEngine.SummaryTexts[Summary.NoIndicatorsIdentified]} | No indicators. An ordinary, respected outcome. |");
        md.AppendLine().AppendLine("Every result, whatever its rung, ends with the offer of the services the person chooses and the conversation about what they need. No result ever says \"victim\" or \"not a victim\". The HTCDS exchange gives a type of exploitation only for a track at the top of the ladder, and never produces HTCDS's `TraffickingStatus`.").AppendLine();

        md.AppendLine("## Indicator catalogue").AppendLine();
        md.AppendLine("Strengths are per set: adults in labour, adults in sexual exploitation, children in labour, children in sexual exploitation. \"Needs someone to have used\" names the situation that is recorded on its own and becomes the indicator only when an answer says someone used or imposed it.").AppendLine();
        md.AppendLine("| Code | Indicator | Source | HTCDS | Federal elements it may support | Needs someone to have used |").AppendLine("|---|---|---|---|---|---|");
        foreach (var i in IndicatorCatalogue.All)
        {
            var federal = i.Supports.Count == 0 ? "none" : string.Join("; ", i.Supports.Select(s => $"{Element(s.Element)} ({s.Clause})"));
            var situation = i.Situation is { } s ? Facts.Situations[s] : "";
            var forced = i.ForcedLabour is { } fl ? $"; ILO 2012: {IndicatorCatalogue.ByCode[fl].Label}" : "";
            md.AppendLine($"| `{i.Code}` | {i.Label} | {i.Source}{forced} | {(i.Htcds is { } h ? "MethodsOfControl" + h : "")} | {federal} | {situation} |");
        }
        md.AppendLine();

        foreach (var instrument in library.Instruments.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            md.AppendLine($"## {Instrument.Text(instrument.File.Title, Instrument.English)} (`{instrument.Id}` {instrument.Version})").AppendLine();
            md.AppendLine("| Question | Asked | Answer | Raises |").AppendLine("|---|---|---|---|");
            foreach (var q in instrument.Questions)
            {
                var asked = q.ShowIf is { } c ? $"when `{c.Question}` is {string.Join(" or ", c.In.Select(v => $"`{v}`"))}" : "always";
                if (q.Revised is { } r) asked += $"; wording changed in {r}";
                var text = $"`{q.Id}`: {Instrument.Text(q.Text, Instrument.English)}";
                var rows = Answers(q).ToList();
                if (rows.Count == 0) md.AppendLine($"| {text} | {asked} | any | nothing (context only) |");
                foreach (var (answer, raises) in rows) md.AppendLine($"| {text} | {asked} | {answer} | {Describe(raises)} |");
            }
            md.AppendLine();
        }
        return md.ToString().Replace("\r\n", "\n");
    }

    static IEnumerable<(string Answer, Raises Raises)> Answers(Question q)
    {
        foreach (var (value, raises) in q.Raises ?? []) yield return ($"`{value}`", raises);
        foreach (var o in q.Options ?? []) if (o.Raises is { } r) yield return ($"\"{Instrument.Text(o.Text, Instrument.English)}\"", r);
        if (q.Below is { } b) yield return ($"below {b.Value}", b.Raises);
    }

    static string Describe(Raises r)
    {
        var parts = new List<string>();
        foreach (var code in r.Indicators ?? [])
        {
            var i = IndicatorCatalogue.ByCode[code];
            parts.Add($"`{code}` ({(i.Dimension is { } d ? IndicatorCatalogue.DimensionNames[d] : i.Kind == IndicatorKind.MethodOfControl ? "method of control" : "forced labour")})");
        }
        if (r.Track is { } t) parts.Add($"on the {(t == Exploitation.Sexual ? "sexual exploitation" : "labour")} track");
        foreach (var fact in r.Facts ?? [])
            parts.Add(Facts.IsSituation(fact) ? $"situation: {Facts.Situations[fact[Facts.SituationPrefix.Length..]].ToLowerInvariant()} (not an indicator)" : $"fact `{fact}`");
        foreach (var need in r.Needs ?? []) parts.Add($"need: {Needs.All[need].ToLowerInvariant()}");
        foreach (var industry in r.Industries ?? []) parts.Add($"ISIC {industry}");
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    static string Element(FederalElement e) => e switch
    {
        FederalElement.Action => "action",
        FederalElement.CommercialSexAct => "commercial sex act",
        FederalElement.InvoluntaryServitude => "involuntary servitude",
        FederalElement.DebtBondage => "debt bondage",
        _ => e.ToString().ToLowerInvariant(),
    };
}
