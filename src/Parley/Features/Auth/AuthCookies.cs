namespace Parley.Features.Auth;

/// <summary>
/// The two cookies Parley sets, both httpOnly (scripts never see them), SameSite=Strict and scoped to /api/auth (sent
/// only to the auth endpoints, only from Parley's own pages), and Secure whenever the client reached Parley over
/// https (directly, or through a trusted proxy: see Web/ProxySetup).
/// </summary>
public static class AuthCookies
{
    public const string Refresh = "parley_refresh";
    public const string Device = "parley_device";
    public const string Path = "/api/auth";

    /// <summary>Browsers cap cookie lifetimes at 400 days; a device stays trusted about a year after its last sign-in.</summary>
    public static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(365);

    public static void SetRefresh(HttpContext http, RefreshTokens.Issued token) =>
        http.Response.Cookies.Append(Refresh, token.Token, Options(http, token.ExpiresAt));

    public static void ClearRefresh(HttpContext http) =>
        http.Response.Cookies.Delete(Refresh, Options(http, null));

    public static void SetDevice(HttpContext http, string token, DateTimeOffset now) =>
        http.Response.Cookies.Append(Device, token, Options(http, now + DeviceLifetime));

    public static void ClearDevice(HttpContext http) =>
        http.Response.Cookies.Delete(Device, Options(http, null));

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = Path,
        Expires = expires,
        IsEssential = true,
    };
}
