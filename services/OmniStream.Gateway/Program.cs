using OmniStream.Gateway.Hosting;

await GatewayApplication.Build(args).RunAsync();
