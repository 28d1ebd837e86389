using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Chats;
using Parley.Web;

namespace Parley.Features.Bot;

/// <summary>A model to choose; <c>Available</c>: the user's plan allows it (Premium ones are shown to free users, locked).</summary>
public sealed record ModelChoiceResponse(string Id, string Name, bool Vision, bool Premium, bool Available);

/// <summary>The models offered (none: nothing to choose) and the user's default (null: the plan's own model).</summary>
public sealed record ModelsResponse(IReadOnlyList<ModelChoiceResponse> Models, string? Default);

/// <summary><c>Model</c>: a model's id, or null for the user's default.</summary>
public sealed record ChooseModelRequest([property: MaxLength(100)] string? Model);

public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", List).WithTags("Models").RequireAuthorization().WithName("ListModels")
            .WithSummary("The models you can choose between, and your default.");
        app.MapPut("/api/chats/{chatId:long}/model", Choose).WithTags("Chats").RequireAuthorization().WithName("ChooseChatModel")
            .WithSummary("Choose the model of a chat's next replies (null: your default).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<ModelsResponse>> List(
        ModelCatalog models, Entitlements entitlements, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var plan = (await entitlements.ForAsync(userId, ct)).IsPremium ? Plan.Premium : Plan.Free;
        var chosen = await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultModel).SingleAsync(ct);
        return TypedResults.Ok(new ModelsResponse(
            [.. models.All.Select(m => new ModelChoiceResponse(m.Id, m.Name ?? m.Id, m.Vision, m.Premium, ModelCatalog.Allows(plan, m)))],
            models.Resolve(plan, null, chosen)));
    }

    private static async Task<Results<Ok<ChatResponse>, ValidationProblem, ProblemHttpResult>> Choose(
        long chatId, ChooseModelRequest request, ModelCatalog models, Entitlements entitlements, AppDbContext db, HttpContext http,
        CancellationToken ct)
    {
        var userId = http.User.UserId();
        var model = models.Find(request.Model);
        if (request.Model is not null && model is null)
        {
            return FieldProblem.For("model", "This server offers no such model. Choose one from the list.", "Unknown model");
        }

        if (model is { Premium: true } && !(await entitlements.ForAsync(userId, ct)).IsPremium)
        {
            return TypedResults.Problem("This model is for Premium. Upgrade to use it, or choose another one.",
                statusCode: StatusCodes.Status403Forbidden, title: "Premium model", type: ProblemTypes.PremiumModel);
        }

        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        if (chat is null)
        {
            return TypedResults.Problem("This chat does not exist. It may have been deleted.", statusCode: StatusCodes.Status404NotFound,
                title: "Chat not found", type: ProblemTypes.NotFound);
        }

        chat.ModelId = request.Model;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(chat.ToResponse());
    }
}
