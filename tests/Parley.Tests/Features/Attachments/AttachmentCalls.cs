using System.Net.Http.Headers;
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
}
