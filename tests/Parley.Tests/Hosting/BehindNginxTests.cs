using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Parley.Features.Auth;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Hosting;

/// <summary>
/// Parley as it is deployed for more than one machine: the published build in Production, two instances on one
/// PostgreSQL (reached through a link the test can cut), behind nginx round robin with deploy/nginx.conf's settings.
/// </summary>
public sealed class BehindNginxTests(BehindNginxTests.Deployment deployment) : IClassFixture<BehindNginxTests.Deployment>
{
    public sealed class Deployment : IAsyncLifetime
    {
        private readonly string _database = $"parley_nginx_{Guid.NewGuid():N}";
        private readonly string _dir = Directory.CreateTempSubdirectory("parley-nginx-app-").FullName;

        public TcpProxy DatabaseLink { get; } = TcpProxy.ToPostgres();
        public ParleyProcess First { get; private set; } = null!;
        public ParleyProcess Second { get; private set; } = null!;
        public Nginx Nginx { get; private set; } = null!;

        public HttpClient Client() => new() { BaseAddress = Nginx.Address };

        public async Task InitializeAsync()
        {
            await PostgresServer.ExecuteAsync($"CREATE DATABASE {_database}");
            var settings = new Dictionary<string, string>
            {
                ["DATABASE_URL"] = DatabaseLink.Route(PostgresServer.ConnectionString(_database)),
                ["TRUSTED_PROXIES"] = "127.0.0.1",
                ["MESSAGE_LIMIT"] = "20",
                ["Bot__BuiltInWordDelay"] = "00:00:00.020",
            };
            var instances = await Task.WhenAll(ParleyProcess.StartAsync(_dir, settings), ParleyProcess.StartAsync(_dir, settings));
            (First, Second) = (instances[0], instances[1]);
            Nginx = await Nginx.StartAsync([First.Address, Second.Address]);
        }

        public async Task DisposeAsync()
        {
            await Nginx.DisposeAsync();
            await First.DisposeAsync();
            await Second.DisposeAsync();
            await DatabaseLink.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task<(HttpClient Client, SessionResponse Session)> RegisterAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = $"n-{Guid.NewGuid():N}@example.com", password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>(ApiJson.Options))!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return (client, session);
    }

    [Fact]
    public async Task SignInAndRefreshWorkWhicheverInstanceAnswers()
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = deployment.Nginx.Address };
        var (_, session) = await RegisterAsync(client);

        // Round robin: consecutive requests land on both instances; each refresh rotates the cookie the other checks.
        for (var i = 0; i < 4; i++)
        {
            var refreshed = await client.PostAsync("/api/auth/refresh", null);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = session.User.Email, password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task FiftyConcurrentSendsThroughTheBalancerAdmitExactlyTheRemainingQuota()
    {
        var (client, _) = await RegisterAsync(deployment.Client());
        var chat = (await (await client.PostAsJsonAsync("/api/chats", new { })).Content.ReadFromJsonAsync<ChatResponse>(ApiJson.Options))!;
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = $"warm-up {i}" })).StatusCode);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = $"race {i}" })));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(45, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        var usage = await client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal((20, 0), (usage!.Used, usage.Remaining));
    }

    [Fact]
    public async Task AFollowerOnTheOtherInstanceGetsTheWholeReplyInOrder()
    {
        var (client, _) = await RegisterAsync(new HttpClient { BaseAddress = deployment.First.Address });
        using var other = new HttpClient { BaseAddress = deployment.Second.Address };
        other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var chat = (await (await client.PostAsJsonAsync("/api/chats", new { })).Content.ReadFromJsonAsync<ChatResponse>(ApiJson.Options))!;

        var sending = await client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "Write me a sonnet about the sea" });
        var followed = new StringBuilder();
        string? final = null;
        await using var events = sending.ReadEventsAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var replyId = events.Current.Data.GetProperty("reply").GetProperty("id").GetInt64();
        var follow = await other.OpenStreamAsync(HttpMethod.Get, $"/api/chats/{chat.Id}/messages/{replyId}/stream");
        await foreach (var e in follow.ReadEventsAsync())
        {
            if (e.Type == "delta")
            {
                followed.Append(e.Data.GetProperty("text").GetString());
            }
            else if (e.Type == "done")
            {
                final = followed.ToString();
                Assert.Equal(e.Data.GetProperty("reply").GetProperty("length").GetInt32(), final.Length);
            }
        }

        Assert.NotNull(final);
        Assert.Equal(final, followed.ToString()); // every delta, in order, nothing twice
        Assert.StartsWith("I'm Parley's built-in assistant", final, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStopSentToTheOtherInstanceEndsTheReplyWhereItIsGenerated()
    {
        var (client, _) = await RegisterAsync(new HttpClient { BaseAddress = deployment.First.Address });
        using var other = new HttpClient { BaseAddress = deployment.Second.Address };
        other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var chat = (await (await client.PostAsJsonAsync("/api/chats", new { })).Content.ReadFromJsonAsync<ChatResponse>(ApiJson.Options))!;

        var sending = await client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "Write me a sonnet about the sea" });
        var events = new List<SseEvent>();
        await foreach (var e in sending.ReadEventsAsync())
        {
            events.Add(e);
            if (e.Type == "delta" && events.Count(x => x.Type == "delta") == 1)
            {
                var replyId = events[0].Data.GetProperty("reply").GetProperty("id").GetInt64();
                Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsync($"/api/chats/{chat.Id}/messages/{replyId}/stop", null)).StatusCode);
            }
        }

        var reply = events.StoredReply();
        Assert.Equal(("done", "Stopped"), (events[^1].Type, reply.GetProperty("status").GetString()));
        Assert.DoesNotContain("show me markdown", reply.GetProperty("content").GetString(), StringComparison.Ordinal); // its last words
        var usage = await client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(1, usage!.Used); // the model was called: a stop counts
    }

    [Fact]
    public async Task ATenSecondDatabaseOutageGives503sAndNotReadyThenEveryRequestWorksAtOnce()
    {
        var (client, _) = await RegisterAsync(deployment.Client());
        var chat = (await (await client.PostAsJsonAsync("/api/chats", new { })).Content.ReadFromJsonAsync<ChatResponse>(ApiJson.Options))!;

        deployment.DatabaseLink.Cut();
        var answers = new List<HttpResponseMessage>();
        var readiness = new List<HttpStatusCode>();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (outage.Elapsed < TimeSpan.FromSeconds(10))
            {
                answers.Add(await client.GetAsync("/api/chats"));
                answers.Add(await client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = "during the outage" }));
                readiness.Add((await deployment.First.Client.GetAsync("/healthz/ready")).StatusCode);
                readiness.Add((await deployment.Second.Client.GetAsync("/healthz/ready")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await deployment.First.Client.GetAsync("/healthz/live")).StatusCode);
        }
        finally
        {
            deployment.DatabaseLink.Restore();
        }

        foreach (var answer in answers)
        {
            var problem = await answer.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemTypes.DatabaseUnavailable, problem.Type);
            Assert.NotNull(answer.Headers.RetryAfter);
        }

        Assert.All(readiness, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));

        // Back without a restart, and at once: the connections the outage broke are not handed to a request again
        // (a retry clears the pool), on both instances (round robin).
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/chats")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = "after the outage" })).StatusCode);
        var usage = await client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(1, usage!.Used); // nothing sent during the outage was counted
    }
}
