using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Gateway.Hosting;
using OmniStream.Streaming.Hosting;

return await ServiceHost.RunAsync("omnistream-gateway", () => GatewayApplication.Build(args));
