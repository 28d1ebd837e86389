namespace Parley.Tests.Infrastructure;

/// <summary>An app whose bot is a fake OpenAI-compatible server on loopback (the production client talks to it).</summary>
public interface IFakeModelFactory
{
    FakeOpenAIServer Model { get; }
}

public class FakeModelFactory : SqliteFactory, IFakeModelFactory
{
    public FakeOpenAIServer Model { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Model = await FakeModelSettings.StartAsync(Settings);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

public class PostgresFakeModelFactory : PostgresFactory, IFakeModelFactory
{
    public FakeOpenAIServer Model { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Model = await FakeModelSettings.StartAsync(Settings);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

internal static class FakeModelSettings
{
    public static async Task<FakeOpenAIServer> StartAsync(Dictionary<string, string?> settings)
    {
        var model = await FakeOpenAIServer.StartAsync();
        settings["Bot:OpenAI:Endpoint"] = new Uri(model.BaseUrl, "/v1").ToString();
        settings["Bot:OpenAI:ApiKey"] = "sk-test";
        return model;
    }
}
