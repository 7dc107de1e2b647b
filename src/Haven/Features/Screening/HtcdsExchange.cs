namespace Haven.Features.Screening;

/// <summary>A screening outcome as HTCDS 2.0 fields, with nothing that identifies the person.</summary>
public sealed record HtcdsOutcome(
    IReadOnlyDictionary<string, bool> MethodsOfControl,
    IReadOnlyList<string> TypeOfExploitation,
    IReadOnlyList<string> ForcedLabourIndustry);

/// <summary>
/// Expresses a screening result in HTCDS fields for the de-identified exchange: every <c>MethodsOfControl*</c> field
/// (true where an indicator mapped to it is present), <c>vic_TypeOfExploitation</c> only for a track whose result is
/// "indicators present" (the published decision rule, or every element of 22 U.S.C. 7102(11), met on that track:
/// indicators alone are not a type of exploitation, and a sex worker's labour is not sexual exploitation), and
/// <c>vic_ForcedLabourIndustry</c> as ISIC sections of the work the person did, for the labour track. HTCDS's
/// <c>TraffickingStatus</c> ("victim" / "not a victim") is never produced. Plain functions, no I/O.
/// </summary>
public static class HtcdsExchange
{
    public static readonly IReadOnlyDictionary<string, string> IsicSections = new Dictionary<string, string>
    {
        ["A"] = "A_AgricultureForestryAndFishing",
        ["B"] = "B_MiningAndQuarrying",
        ["C"] = "C_Manufacturing",
        ["D"] = "D_ElectricityGasSteamAndAirConditioningSupply",
        ["E"] = "E_WaterSupplySewerageWasteManagement",
        ["F"] = "F_Construction",
        ["G"] = "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        ["H"] = "H_TransportationAndStorage",
        ["I"] = "I_AccommodationAndFoodServiceActivities",
        ["J"] = "J_InformationAndCommunication",
        ["K"] = "K_FinancialAndInsuranceActivities",
        ["L"] = "L_RealEstateActivities",
        ["M"] = "M_ProfessionalScientificAndTechnicalActivities",
        ["N"] = "N_AdministrativeAndSupportServiceActivities",
        ["O"] = "O_PublicAdministrationAndDefence",
        ["P"] = "P_Education",
        ["Q"] = "Q_HumanHealthAndSocialWorkActivities",
        ["R"] = "R_ArtsEntertainmentAndRecreation",
        ["S"] = "S_OtherServiceActivities",
        ["T"] = "T_ActivitiesOfHouseholdsAsEmployers",
        ["U"] = "U_ActivitiesOfExtraterritorialOrganizations",
    };

    public static HtcdsOutcome From(ScreeningResult result)
    {
        var controls = Enum.GetValues<HtcdsControl>().ToDictionary(c => "MethodsOfControl" + c, c => result.MethodsOfControl.Contains(c));
        var labour = result.Tracks.Any(t => t.Exploitation == Exploitation.Labour && (t.DecisionRuleMet || t.SevereForm));
        var sexual = result.Tracks.Any(t => t.Exploitation == Exploitation.Sexual && (t.DecisionRuleMet || t.SevereForm));
        var types = new List<string>();
        if (labour) types.Add(result.AgeGroup == AgeGroup.Child ? "ChildLabour" : "ForcedLabour");
        if (sexual) types.Add("SexualExploitation");
        return new HtcdsOutcome(controls, types, labour ? [.. result.Industries.Select(i => IsicSections[i])] : []);
    }
}
