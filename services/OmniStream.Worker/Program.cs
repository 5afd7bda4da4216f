using Microsoft.Extensions.Hosting;
using OmniStream.Worker.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddOmniStreamWorker();
await builder.Build().RunAsync();
