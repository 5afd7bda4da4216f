using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Worker.Hosting;

return await ServiceHost.RunAsync("omnistream-worker", () => WorkerApplication.Build(args));
