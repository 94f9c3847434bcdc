using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Mrq.Workers;

/// <summary>The address a worker reports as <c>config.local_ip</c>, as MRQ's <c>get_local_ip</c>.</summary>
internal static class LocalAddress
{
    private static readonly Lazy<string> s_detected = new(Detect);

    /// <summary><paramref name="configured"/> when set, else the host's first up, non-loopback IPv4 address, else 127.0.0.1.</summary>
    public static string Of(string configured) => configured.Length > 0 ? configured : s_detected.Value;

    private static string Detect()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString() ?? "127.0.0.1";
        }
        catch (NetworkInformationException)
        {
            return "127.0.0.1";
        }
    }
}
