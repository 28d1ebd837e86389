using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;

namespace Parley.Hosting;

/// <summary>
/// Operator commands run instead of the server: <c>migrate</c> (bring the database up to date and exit, for rollouts
/// that migrate once before starting instances), <c>set-plan EMAIL free|premium</c> (support, and trying Premium
/// without Stripe), <c>set-role EMAIL admin|user</c> (who sees the admin area), <c>repair-billing</c>.
/// </summary>
public static class AdminCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "set-plan" or "set-role" or "repair-billing";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is ["migrate"])
        {
            await services.MigrateDatabaseAsync();
            Console.WriteLine("The database is up to date.");
            return 0;
        }

        if (args is ["repair-billing"])
        {
            return await RepairBillingAsync(services);
        }

        if (args is ["set-role", ..])
        {
            return await SetRoleAsync(services, args);
        }

        if (args is not ["set-plan", var email, var plan] || !Enum.TryParse<Plan>(plan, ignoreCase: true, out var target))
        {
            await Console.Error.WriteLineAsync("usage: set-plan EMAIL free|premium");
            return 2;
        }

        await services.MigrateDatabaseAsync();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = UserMappings.NormalizeEmail(email);
        var changed = await db.Users.Where(u => u.NormalizedEmail == normalized)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPremium, target == Plan.Premium));
        if (changed == 0)
        {
            await Console.Error.WriteLineAsync($"No user with email {email}.");
            return 1;
        }

        Console.WriteLine($"{email} is now on the {target} plan.");
        return 0;
    }

    private static async Task<int> SetRoleAsync(IServiceProvider services, string[] args)
    {
        if (args is not ["set-role", var email, var role] || role.ToLowerInvariant() is not ("admin" or "user"))
        {
            await Console.Error.WriteLineAsync("usage: set-role EMAIL admin|user");
            return 2;
        }

        await services.MigrateDatabaseAsync();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = UserMappings.NormalizeEmail(email);
        var admin = role.Equals("admin", StringComparison.OrdinalIgnoreCase);
        if (await db.Users.Where(u => u.NormalizedEmail == normalized).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, admin)) == 0)
        {
            await Console.Error.WriteLineAsync($"No user with email {email}.");
            return 1;
        }

        var listed = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Features.Admin.AdminOptions>>().Value.Normalized.Contains(normalized);
        Console.WriteLine(admin ? $"{email} is now an admin."
            : listed ? $"{email} is no longer an admin by role, but ADMIN_EMAILS still lists it: remove it there too."
            : $"{email} is no longer an admin.");
        return 0;
    }

    /// <summary>Re-reads every customer's subscriptions from Stripe: the fix for webhooks that never arrived.</summary>
    private static async Task<int> RepairBillingAsync(IServiceProvider services)
    {
        if (services.GetRequiredService<BillingRuntime>().Mode == BillingMode.NotConfigured)
        {
            await Console.Error.WriteLineAsync("Payments are not configured (no STRIPE_SECRET_KEY): there is nothing to repair.");
            return 1;
        }

        await services.MigrateDatabaseAsync();
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<BillingRepair>().RunAsync(Console.WriteLine, CancellationToken.None);
        Console.WriteLine($"Re-read {report.Subscriptions} subscription(s) from Stripe; forgot {report.Forgotten.Count} customer(s) Stripe does not know; {report.Failures.Count} customer(s) failed.");
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
