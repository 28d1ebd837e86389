using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.OpenApi;

namespace Parley.Web.OpenApi;

/// <summary>
/// The API's OpenAPI document (/openapi/v1.json, committed as web/openapi.json). It is a contract a machine can
/// trust: the transformers here add what endpoint metadata alone leaves out (who must sign in, the problems every
/// kind of request can meet, the events of a stream, the validation rules the server enforces), and the test suite
/// checks every response it sees against it.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddParleyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Parley API",
                    Version = "v1",
                    Description = "Chats, messages, usage limits, sessions and billing. Every error is an RFC 9457 problem " +
                        "(application/problem+json) whose `type` URI says what happened; streamed replies are Server-Sent Events.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access token from login, register or refresh (valid for minutes; refresh with the cookie).",
                };
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer<ProblemSchemas>();
            o.AddDocumentTransformer<NullableEnums>();
            o.AddOperationTransformer<StandardResponses>();
            o.AddOperationTransformer<StreamResponses>();
            o.AddSchemaTransformer<EnforcedRules>();
        });
}
