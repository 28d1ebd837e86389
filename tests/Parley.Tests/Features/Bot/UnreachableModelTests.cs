using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

public sealed class UnreachableModelTests(UnreachableModelTests.Factory factory) : IClassFixture<UnreachableModelTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Bot:OpenAI:Endpoint"] = "http://127.0.0.1:1/v1"; // nothing listens there
            Settings["Bot:OpenAI:ApiKey"] = "sk-nowhere";
        }
    }

    [Fact]
    public async Task AnUnreachableModelServerIsAClearWarningAtStartUp()
    {
        _ = factory.CreateClient(); // the app starts anyway

        for (var i = 0; i < 100 && !factory.Logs.Entries.Any(e => e.Message.Contains("cannot be reached", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
        }

        var warning = Assert.Single(factory.Logs.Entries, e => e.Message.Contains("cannot be reached", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("http://127.0.0.1:1/v1", warning.Message, StringComparison.Ordinal);
    }
}
