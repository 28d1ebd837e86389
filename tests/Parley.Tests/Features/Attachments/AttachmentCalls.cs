using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Features.Attachments;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Attachments;

internal static class AttachmentCalls
{
    /// <summary>Uploads bytes as a browser would: multipart, field "file", with a name and the type the browser guessed.</summary>
    public static Task<HttpResponseMessage> UploadAsync(this TestUser user, byte[] content, string name, string contentType = "application/octet-stream") =>
        user.Client.PostAsync("/api/attachments", Form(content, name, contentType));

    public static MultipartFormDataContent Form(byte[] content, string name, string contentType = "application/octet-stream")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new MultipartFormDataContent { { file, "file", name } };
    }

    public static async Task<AttachmentResponse> UploadedAsync(this TestUser user, byte[] content, string name)
    {
        var response = await user.UploadAsync(content, name);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<AttachmentResponse>();
    }

    public static async Task<StorageResponse> StorageAsync(this TestUser user) =>
        await (await user.Client.GetAsync("/api/attachments/storage")).ReadAsync<StorageResponse>();

    public static Task<HttpResponseMessage> SendWithFilesAsync(this TestUser user, long chatId, string content, params Guid[] files) =>
        user.Client.PostAsJsonAsync($"/api/chats/{chatId}/messages", new { content, attachmentIds = files });

    /// <summary>The model's requests for replies (a new chat's title is asked for too, quoting the conversation).</summary>
    public static IEnumerable<JsonObject> ReplyRequests(this FakeOpenAIServer model) =>
        model.Requests.Where(r => !FakeOpenAIServer.LastUserMessage(r).StartsWith("User: ", StringComparison.Ordinal));

    public static JsonObject LastRequestFor(this FakeOpenAIServer model, string question) =>
        model.ReplyRequests().Last(r => FakeOpenAIServer.LastUserMessage(r).EndsWith(question, StringComparison.Ordinal));

    /// <summary>The parts of the request's last user message (text, image_url); a plain-text message has none.</summary>
    public static JsonArray LastUserParts(JsonObject request) =>
        request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"] as JsonArray ?? [];
}
