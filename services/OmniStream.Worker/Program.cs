using OmniStream.Worker.Hosting;

await WorkerApplication.Build(args).RunAsync();
