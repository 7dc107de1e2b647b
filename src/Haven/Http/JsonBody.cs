using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Http;

public static class JsonBody
{
    /// <summary>The API's JSON: web defaults, enums as their names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Reads a JSON body and turns a malformed one into a 400 that says where it broke.</summary>
    public static async Task<(T? Value, ValidationProblem? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength is > 1_000_000)
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body is larger than 1 MB."] }));
        if (!request.HasJsonContentType())
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send the body as application/json."] }));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, ct);
            return value is null
                ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body is empty."] }))
                : (value, null);
        }
        catch (JsonException e)
        {
            // The path names the field; the message never repeats the value that was sent.
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Path ?? "body"] = [$"The body is not valid JSON for this request at {e.Path ?? "$"}."] }));
        }
    }
}
