using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Gateway.Hosting;

return await ServiceHost.RunAsync("omnistream-gateway", () => GatewayApplication.Build(args));
