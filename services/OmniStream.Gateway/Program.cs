using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Gateway.Hosting;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync("omnistream-gateway", $"{GatewayOptions.Section}:Url", new GatewayOptions().Url);
}
return await ServiceHost.RunAsync("omnistream-gateway", () => GatewayApplication.Build(args));
