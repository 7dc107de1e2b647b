using Microsoft.AspNetCore.Antiforgery;

namespace Haven.Security;

public static class AntiforgeryFilter
{
    /// <summary>For form posts to minimal endpoints that bind no form model: checks the token and
    /// answers 400 with a plain explanation when it is missing or wrong.</summary>
    public static TBuilder RequireAntiforgery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context.HttpContext)
                ? await next(context)
                : Results.BadRequest("The form has expired or did not come from Haven. Go back, reload the page and try again."));
}
