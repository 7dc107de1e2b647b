using Haven.Features.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Http;

/// <summary>How a service's save answers over HTTP: null is a record the caller may not see (404), errors are a
/// validation problem naming the fields, success is 201 or 200.</summary>
public static class SaveResults
{
    public static Results<Created<SaveResult>, NotFound, ValidationProblem> Created(SaveResult? result, Func<Guid, string> location) =>
        result is null ? TypedResults.NotFound()
        : result.Ok ? TypedResults.Created(location(result.Id!.Value), result)
        : TypedResults.ValidationProblem(result.Errors);

    public static Results<Ok<SaveResult>, NotFound, ValidationProblem> Saved(SaveResult? result) =>
        result is null ? TypedResults.NotFound()
        : result.Ok ? TypedResults.Ok(result)
        : TypedResults.ValidationProblem(result.Errors);
}
