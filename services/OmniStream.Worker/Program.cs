using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Worker.Api;
using OmniStream.Worker.Hosting;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync("omnistream-worker", $"{ApiOptions.Section}:Url", new ApiOptions().Url);
}
return await ServiceHost.RunAsync("omnistream-worker", () => WorkerApplication.Build(args));
