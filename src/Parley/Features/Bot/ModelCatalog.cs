using Microsoft.Extensions.Options;
using Parley.Features.Auth;

namespace Parley.Features.Bot;

/// <summary>
/// The models users may choose between (<see cref="BotOptions.Models"/>, with an OpenAI-compatible server only) and
/// which one a reply uses: the chat's choice, else the user's default, if the user's plan allows it; else the plan's
/// own model. A choice the plan no longer allows (Premium ended) falls back the same way, so a reply is never refused
/// for it.
/// </summary>
public sealed class ModelCatalog(IOptions<BotOptions> options)
{
    public IReadOnlyList<ModelOption> All => options.Value.OpenAI.IsConfigured ? options.Value.Models : [];

    public ModelOption? Find(string? id) => id is null ? null : All.FirstOrDefault(m => m.Id == id);

    public static bool Allows(Plan plan, ModelOption model) => plan == Plan.Premium || !model.Premium;

    /// <summary>The model a reply uses; null: the plan's own (<see cref="OpenAIOptions.ModelFor"/>).</summary>
    public string? Resolve(Plan plan, string? chatModel, string? userDefault) =>
        new[] { Find(chatModel), Find(userDefault) }.FirstOrDefault(m => m is not null && Allows(plan, m))?.Id;

    /// <summary>Whether a reply with <paramref name="model"/> (resolved) can be sent images.</summary>
    public bool AcceptsImages(Plan plan, string? model) => Find(model) is { } chosen ? chosen.Vision : options.Value.AcceptsImages(plan);
}
