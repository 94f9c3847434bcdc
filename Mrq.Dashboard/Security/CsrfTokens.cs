using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Security;

/// <summary>
/// Double-submit CSRF protection: each browser gets a random token in a <c>SameSite=Strict</c>, HttpOnly cookie
/// scoped to the dashboard path; pages embed it, and every action POST must send it back in the form field or the
/// <c>X-Mrq-Csrf</c> header. Another site can neither read the cookie nor the page, so it cannot forge the pair.
/// </summary>
internal sealed class CsrfTokens(string cookiePath)
{
    public const string FormField = "_csrf";
    public const string Header = "X-Mrq-Csrf";
    private const string CookieName = "mrq-csrf";

    /// <summary>The request's token, issuing a new cookie when it has none.</summary>
    public string GetOrIssue(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out var existing) && IsWellFormed(existing))
        {
            return existing;
        }

        // A page asks several times (meta tag, each form): issue one token per response.
        if (context.Items.TryGetValue(typeof(CsrfTokens), out var issued) && issued is string issuedToken)
        {
            return issuedToken;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        context.Items[typeof(CsrfTokens)] = token;
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = cookiePath,
            IsEssential = true,
        });
        return token;
    }

    /// <summary>True when the request carries the cookie and the same token in the header or form.</summary>
    public static async Task<bool> IsValidAsync(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || !IsWellFormed(cookie))
        {
            return false;
        }

        string? sent = context.Request.Headers[Header];
        if (string.IsNullOrEmpty(sent) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            sent = form[FormField];
        }

        return sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(cookie));
    }

    private static bool IsWellFormed(string? token) => token is { Length: 64 } && token.All(char.IsAsciiHexDigit);
}
