using Microsoft.AspNetCore.Http.HttpResults;

namespace Parley.Web;

/// <summary>A 400 about one field: its message under the field's name, and as the problem's detail.</summary>
public static class FieldProblem
{
    public static ValidationProblem For(string field, string message, string title) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: title,
            type: ProblemTypes.Validation);
}
