using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard.Security;

/// <summary>
/// Checks <see cref="MrqDashboardOptions.AccessToken"/>: the request must send it as a bearer token or as the
/// password of HTTP basic auth (any user name), so a browser can log in through its own prompt.
/// </summary>
internal static class AccessToken
{
    public const string Challenge = "Basic realm=\"mrq dashboard\", charset=\"UTF-8\"";

    public static bool IsPresented(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        string? sent = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            sent = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                sent = colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(token));
    }
}
