namespace Parley.Tests.Infrastructure;

/// <summary>The app on SQLite with its bot pointed at a <see cref="FakeOpenAIServer"/>; subclasses add settings.</summary>
public class FakeModelFactory : SqliteFactory
{
    public FakeOpenAIServer Model { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Model = await FakeOpenAIServer.StartAsync();
        Settings["Bot:OpenAI:Endpoint"] = new Uri(Model.BaseUrl, "/v1").ToString();
        Settings["Bot:OpenAI:ApiKey"] = "sk-test";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}
