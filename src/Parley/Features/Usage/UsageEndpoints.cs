using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Parley.Features.Auth;
using Parley.Web;

namespace Parley.Features.Usage;

public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Usage");
        group.MapGet("/usage", GetUsage).RequireAuthorization()
            .WithName("GetUsage").WithSummary("Plan, messages used and left in the window, and when the next frees up.");
        group.MapGet("/plans", GetPlans)
            .WithName("GetPlans").WithSummary("The plans and their limits, for the upgrade dialog.");
        return group;
    }

    private static async Task<Ok<UsageResponse>> GetUsage(QuotaService quota, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await quota.GetAsync(http.User.UserId(), ct));

    private static Ok<PlansResponse> GetPlans(IOptions<UsageOptions> options, IOptions<Bot.BotOptions> bot)
    {
        var o = options.Value;
        var window = (int)o.Window.TotalSeconds;
        return TypedResults.Ok(new PlansResponse([
            new PlanResponse(Plan.Free, "Free", o.FreeMessageLimit, window, null, bot.Value.AcceptsImages(Plan.Free)),
            new PlanResponse(Plan.Premium, "Premium", o.PremiumMessageLimit, window, o.PremiumPriceLabel, bot.Value.AcceptsImages(Plan.Premium)),
        ]));
    }
}
