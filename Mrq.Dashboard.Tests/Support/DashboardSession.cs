using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mrq.Dashboard.Tests.Support;

/// <summary>A browser-like HTTP session on the in-process dashboard: keeps the CSRF cookie and reads the page's token.</summary>
internal sealed partial class DashboardSession(HttpClient http)
{
    private string? _cookie;

    public string? Token { get; private set; }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (_cookie is not null)
        {
            request.Headers.Add("Cookie", _cookie);
        }

        using var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            _cookie = cookies.First().Split(';')[0];
        }

        var body = await response.Content.ReadAsStringAsync();
        if (TokenMeta().Match(body) is { Success: true } match)
        {
            Token = match.Groups[1].Value;
        }

        return (response.StatusCode, body);
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        var (status, body) = await GetAsync(path);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)status}: {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Posts a form the way the page does (cookie + token field), unless told to leave either out.</summary>
    public async Task<(HttpStatusCode Status, string Body, Uri? Location)> PostAsync(string path, IEnumerable<KeyValuePair<string, string>>? fields = null, bool withCookie = true, string? token = null)
    {
        var form = new List<KeyValuePair<string, string>>(fields ?? []);
        if ((token ?? Token) is { } sent)
        {
            form.Add(new("_csrf", sent));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (withCookie && _cookie is not null)
        {
            request.Headers.Add("Cookie", _cookie);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>Posts with the token in the <c>X-Mrq-Csrf</c> header and asks for JSON, as a script would.</summary>
    public async Task<JsonObject> PostJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Accept", "application/json");
        request.Headers.Add("X-Mrq-Csrf", Token);
        request.Headers.Add("Cookie", _cookie);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(body)!.AsObject() : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {body}");
    }

    [GeneratedRegex("<meta name=\"mrq-csrf\" content=\"([0-9A-F]+)\">")]
    private static partial Regex TokenMeta();
}
