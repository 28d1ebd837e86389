using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Features.Account;
using Parley.Features.Auth;
using Parley.Features.Bot;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Account;

public sealed class SqliteProfileTests(FakeModelFactory factory) : ProfileTests<FakeModelFactory>(factory), IClassFixture<FakeModelFactory>;

public sealed class PostgresProfileTests(PostgresFakeModelFactory factory)
    : ProfileTests<PostgresFakeModelFactory>(factory), IClassFixture<PostgresFakeModelFactory>;

/// <summary>A name and custom instructions: kept on the account, and read by the model on every new reply.</summary>
public abstract class ProfileTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private string OperatorPrompt => factory.Services.GetRequiredService<IOptions<BotOptions>>().Value.SystemPrompt;

    private static Task<HttpResponseMessage> PutProfileAsync(TestUser user, object profile) =>
        user.Client.PatchAsJsonAsync("/api/account/profile", profile);

    private string SystemPromptFor(string question)
    {
        var request = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == question);
        var system = request["messages"]!.AsArray().First()!;
        Assert.Equal("system", system["role"]!.GetValue<string>());
        return FakeOpenAIServer.Text(system);
    }

    [Fact]
    public async Task InstructionsReachTheModelAfterTheOperatorsPromptAndClearingThemRemovesThem()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync("a titled chat");
        var saved = await (await PutProfileAsync(user, new
        {
            displayName = "Ada",
            aboutYou = "I teach chemistry to teenagers.",
            replyStyle = "Answer in short bullet points.",
        })).ReadAsync<ProfileResponse>();

        (await user.SendAsync(chat.Id, "how do I explain moles?")).EnsureSuccessStatusCode();

        Assert.Equal(("Ada", "I teach chemistry to teenagers.", "Answer in short bullet points."), (saved.DisplayName, saved.AboutYou, saved.ReplyStyle));
        Assert.Equal(
            $"{OperatorPrompt}\n\nThe user's name is Ada.\n\nWhat the user wants you to know about them:\n<about_user>\nI teach chemistry to teenagers.\n</about_user>" +
            "\n\nHow the user wants you to reply:\n<reply_style>\nAnswer in short bullet points.\n</reply_style>",
            SystemPromptFor("how do I explain moles?"));

        var cleared = await (await PutProfileAsync(user, new { displayName = "Ada", aboutYou = "  ", replyStyle = "" })).ReadAsync<ProfileResponse>();
        (await user.SendAsync(chat.Id, "and atoms?")).EnsureSuccessStatusCode();

        Assert.Equal((null, null), (cleared.AboutYou, cleared.ReplyStyle));
        Assert.Equal($"{OperatorPrompt}\n\nThe user's name is Ada.", SystemPromptFor("and atoms?"));
    }

    [Fact]
    public async Task AnotherUsersInstructionsNeverReachMyReplies()
    {
        var user = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        await PutProfileAsync(other, new { aboutYou = "Always mention pineapples." });
        var chat = await user.CreateChatAsync("mine");

        (await user.SendAsync(chat.Id, "a plain question")).EnsureSuccessStatusCode();

        Assert.Equal(OperatorPrompt, SystemPromptFor("a plain question"));
        Assert.Equal((null, null, null), await ProfileOf(user));
    }

    [Fact]
    public async Task OverLongInstructionsOrNameAreRefusedAndChangeNothing()
    {
        var user = await factory.RegisterAsync();
        await PutProfileAsync(user, new { displayName = "Grace", aboutYou = "kept", replyStyle = "kept too" });

        var longAbout = await PutProfileAsync(user, new { displayName = "Grace", aboutYou = new string('a', 1501), replyStyle = "x" });
        var longName = await PutProfileAsync(user, new { displayName = new string('n', 81), aboutYou = "x", replyStyle = "x" });

        var problem = await longAbout.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1,500 characters", problem.Raw.GetProperty("errors").GetProperty("AboutYou")[0].GetString(), StringComparison.Ordinal);
        await longName.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("Grace", "kept", "kept too"), await ProfileOf(user));

        var exactly = await PutProfileAsync(user, new { aboutYou = new string('b', 1500) });
        Assert.Equal(HttpStatusCode.OK, exactly.StatusCode);
    }

    [Fact]
    public async Task FieldsLeftOutStayAsTheyWere()
    {
        var user = await factory.RegisterAsync();
        await PutProfileAsync(user, new { displayName = "Grace", aboutYou = "I sail.", replyStyle = "Briefly." });

        await PutProfileAsync(user, new { replyStyle = "At length." });

        Assert.Equal(("Grace", "I sail.", "At length."), await ProfileOf(user));
    }

    [Fact]
    public async Task ANameIsOneLineWithoutControlCharacters()
    {
        var user = await factory.RegisterAsync();

        var saved = await (await PutProfileAsync(user, new { displayName = "  Ada\n\u0007 Lovelace\t ", aboutYou = "line one\nline two" })).ReadAsync<ProfileResponse>();

        Assert.Equal("Ada Lovelace", saved.DisplayName);
        Assert.Equal("line one\nline two", saved.AboutYou);
        Assert.Equal(user.Email, saved.Email);
    }

    [Fact]
    public async Task ThemeTimeZoneAndClockAreKeptAndComeWithEverySession()
    {
        var user = await factory.RegisterAsync();

        var saved = await (await PutProfileAsync(user, new { theme = "Dark", timeZone = "America/Sao_Paulo", clock = "H24" })).ReadAsync<ProfileResponse>();
        await PutProfileAsync(user, new { displayName = "Ada" }); // left out: kept

        Assert.Equal((Theme.Dark, "America/Sao_Paulo", ClockFormat.H24), (saved.Theme, saved.TimeZone, saved.Clock));
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        var session = await login.ReadAsync<SessionResponse>();
        Assert.Equal((Theme.Dark, "America/Sao_Paulo", ClockFormat.H24), (session.User.Theme, session.User.TimeZone, session.User.Clock));

        var cleared = await (await PutProfileAsync(user, new { timeZone = "" })).ReadAsync<ProfileResponse>();
        Assert.Null(cleared.TimeZone); // the device's own again
        Assert.Equal(Theme.Dark, cleared.Theme);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("W. Europe Standard Time")] // a Windows id: browsers know IANA names only
    [InlineData("../../etc/passwd")]
    public async Task AnUnknownTimeZoneIsRefusedAndChangesNothing(string zone)
    {
        var user = await factory.RegisterAsync();
        await PutProfileAsync(user, new { timeZone = "Europe/Paris" });

        var refused = await PutProfileAsync(user, new { timeZone = zone, theme = "Light" });

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty("timeZone", out _));
        var profile = await user.Client.GetFromJsonAsync<ProfileResponse>("/api/account/profile", ApiJson.Options);
        Assert.Equal(("Europe/Paris", Theme.System), (profile!.TimeZone, profile.Theme));
    }

    [Fact]
    public async Task AnUnknownThemeIsABadRequest()
    {
        var user = await factory.RegisterAsync();

        var refused = await PutProfileAsync(user, new { theme = "Sepia" });

        await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<(string?, string?, string?)> ProfileOf(TestUser user)
    {
        var profile = await user.Client.GetFromJsonAsync<ProfileResponse>("/api/account/profile", ApiJson.Options);
        return (profile!.DisplayName, profile.AboutYou, profile.ReplyStyle);
    }
}
