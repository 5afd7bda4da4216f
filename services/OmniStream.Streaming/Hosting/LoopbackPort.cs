using System.Net;
using System.Net.Sockets;

namespace OmniStream.Streaming.Hosting;

/// <summary>Free ports on 127.0.0.1, for workers that run side by side on one machine (the demo, tests).</summary>
public static class LoopbackPort
{
    /// <summary>An <c>http://127.0.0.1:PORT</c> address whose port is free now (the OS picks it; the API binds it a moment later).</summary>
    public static string FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
