using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniStream.ServiceDefaults.Hosting;
using OmniStream.Channels.Publishing;
using OmniStream.Channels.Tracing;
using OmniStream.Decisions.Engine;
using OmniStream.Schemas.Catalog;
using OmniStream.Schemas.Contracts;
using OmniStream.Schemas.Registry;
using OmniStream.Schemas.Wire;
using OmniStream.ServiceDefaults.Peers;
using OmniStream.ServiceDefaults.Privacy;
using OmniStream.Streaming.Processing;
using OmniStream.Streaming.Queries;
using OmniStream.Streaming.State;
using OmniStream.Streaming.Tasks;
using OmniStream.Kafka.Operations.Topics;
using OmniStream.Streaming.Telemetry;
using OmniStream.Customers.Kpis;
using OmniStream.Customers.State;
using OmniStream.Worker.Api;
using OmniStream.Worker.Customers;
using OmniStream.Worker.Decisions;
using OmniStream.Worker.Identity;
using OmniStream.Worker.Definitions;
using OmniStream.Worker.Ingest;
using OmniStream.Worker.Kpis;
using OmniStream.Worker.Explorer;
using OmniStream.Worker.Ops;
using OmniStream.Worker.Telemetry;
using OmniStream.Worker.Topology;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OmniStream.Kafka;

namespace OmniStream.Worker.Hosting;

/// <summary>Wires the worker into a host.</summary>
public static class WorkerHostExtensions
{
    /// <summary>
    /// Adds the worker: options (validated at start, errors name the setting), serdes, the worker's
    /// stages on their stream engines (internal topics created when missing) and OpenTelemetry (OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; a Prometheus scrape at <c>GET /metrics</c> of the HTTP API).
    /// </summary>
    public static IHostApplicationBuilder AddOmniStreamWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddKafkaOptions();
        services.AddWorkerStages(builder.Configuration);
        services.AddSingleton<StreamingMetrics>();
        services.AddSingleton<StoreRestorer>();
        services.TryAddSingleton(sp => PeerKeyWarning.Checked(PeerKey.From(builder.Configuration), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new AnnouncementSeal(sp.GetRequiredService<PeerKey>().For("announcements")));
        services.AddSingleton(sp => new PeerAssertions(sp.GetRequiredService<PeerKey>(), sp.GetRequiredService<StreamOptions>().ApplicationId,
            sp.GetRequiredService<StreamOptions>().InstanceId));
        services.AddSingleton<InstanceDirectory>();
        services.AddSingleton<StoreQueries>();
        services.TryAddSingleton<ITopicAdmin>(sp => new KafkaTopicAdmin(sp.GetRequiredService<KafkaOptions>(), remedy: CreateTopicsRemedy(sp.GetRequiredService<StreamOptions>().ApplicationId)));

        AddValidatedOptions<ApiOptions>(services, ApiOptions.Section);
        services.AddSingleton(sp => new ChannelPublisher(sp.GetRequiredService<KafkaOptions>(), sp.GetRequiredService<AvroSerde<InteractionEvent>>(),
            sp.GetRequiredService<TimeProvider>(), "omnistream-worker-api"));
        PeerRequests.AddClient(services);
        services.AddSingleton<CustomerLookup>();
        services.AddSingleton<ActionArchive>();
        services.AddSingleton<PeerRequests>();
        AddValidatedOptions<OpsOptions>(services, OpsOptions.Section);
        AddValidatedOptions<ExplorerOptions>(services, ExplorerOptions.Section);
        services.AddSingleton<ExplorerSessions>();
        services.AddSingleton<OpsTally>();
        services.AddSingleton<OpsHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsHistory>());
        services.AddSingleton<OpsGatherer>();
        services.AddHostedService<DefinitionReloader>();
        foreach (var stage in WorkerStages.Kinds)
        {
            services.AddSingleton(sp => Engine(sp, sp.GetRequiredService<WorkerStages>().Of(stage)));
        }
        services.AddSingleton<KpiGatherer>();
        services.AddHostedService<StreamEnginesService>();

        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(StreamingMetrics.MeterName, DecisionMetrics.MeterName, CustomerMetrics.MeterName)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing.AddSource(TraceHeaders.ActivitySourceName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Adds the worker's four stages (<see cref="WorkerStages"/>) and what they need — options
    /// (validated when first read, errors name the setting), serdes, definitions, the domain —
    /// without Kafka clients or HTTP: the host runs them on stream engines; tests and the
    /// micro-benchmark run them on the stage test driver. A <see cref="TimeProvider"/> registered
    /// before is kept (the system clock otherwise).
    /// </summary>
    public static IServiceCollection AddWorkerStages(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddValidatedOptions<StreamOptions>(services, StreamOptions.Section);
        services.AddSingleton<IValidateOptions<StreamOptions>>(new ProblemValidation<StreamOptions>(options => options.StageThreadsProblem()));
        AddCheckedOptions<FoldOptions>(services, FoldOptions.Section, options => options.Problem());
        AddCheckedOptions<KpiOptions>(services, KpiOptions.Section, options => options.Problem());
        services.AddSingleton(sp => new CustomerFold(sp.GetRequiredService<FoldOptions>()));
        services.AddSingleton(sp => new KpiTracker(sp.GetRequiredService<KpiOptions>()));
        services.AddSingleton(sp => new KpiRecorder(KpisInput(sp)));
        services.AddSchemaRegistry(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => Pseudonyms.From(configuration));
        services.AddSerde<InteractionEvent>().AddSerde<ActionOutcome>().AddSerde<NextBestAction>().AddSerde<KpiUpdate>();
        services.AddSerde<CustomerProfile>().AddSerde<ErasureNotice>().AddSerde<SegmentChange>();
        services.AddSingleton<DecisionMetrics>();
        services.AddSingleton<CustomerMetrics>();
        services.AddSingleton<ProfileWriter>();
        AddCatalog<SegmentCatalog, SegmentOptions>(services, SegmentOptions.Section);
        AddCatalog<PolicyCatalog, PolicyOptions>(services, PolicyOptions.Section);
        services.AddSingleton<SegmentWriter>();
        services.AddSingleton(sp => new DecisionEngine(sp.GetRequiredService<CustomerFold>()));
        services.AddSingleton<ActionDecider>();
        services.AddSingleton(sp => new CustomerErasure(sp.GetRequiredService<AvroSerde<ErasureNotice>>(), sp.GetRequiredService<CustomerMetrics>(),
            sp.GetRequiredService<TimeProvider>(), IdentityInput(sp)));
        services.AddSingleton(sp =>
        {
            var customers = new CustomerHandler(new CustomerSteps(sp.GetRequiredService<AvroSerde<InteractionEvent>>(), sp.GetRequiredService<AvroSerde<ActionOutcome>>(),
                sp.GetRequiredService<CustomerFold>(), sp.GetRequiredService<KpiTracker>(), sp.GetRequiredService<KpiRecorder>(),
                sp.GetRequiredService<SegmentWriter>(), sp.GetRequiredService<ActionDecider>(), sp.GetRequiredService<ProfileWriter>(),
                sp.GetRequiredService<CustomerErasure>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CustomerMetrics>(),
                CustomersInput(sp)), CustomersInput(sp));
            sp.GetRequiredService<CustomerMetrics>().ObserveStateCache(customers.Cache);
            return new WorkerStages(
                new IngestHandler(sp.GetRequiredService<AvroSerde<InteractionEvent>>(), sp.GetRequiredService<AvroSerde<ActionOutcome>>(), sp.GetRequiredService<TimeProvider>(),
                    IdentityInput(sp), CustomersInput(sp)),
                new IdentityHandler(sp.GetRequiredService<AvroSerde<InteractionEvent>>(), sp.GetRequiredService<CustomerMetrics>(),
                    sp.GetRequiredService<ILogger<IdentityHandler>>(), sp.GetRequiredService<Pseudonyms>(), IdentityInput(sp), CustomersInput(sp)),
                customers,
                new KpiHandler(sp.GetRequiredService<AvroSerde<KpiUpdate>>(), sp.GetRequiredService<KpiOptions>(), sp.GetRequiredService<TimeProvider>(), KpisInput(sp)));
        });
        return services;
    }

    private static string CreateTopicsRemedy(string applicationId) =>
        $"create them with 'omnistream topics apply --application-id {applicationId}' (on the embedded cluster: 'omnistream dev-cluster --application-id {applicationId}'), or let the worker's Kafka account create topics";

    private static string IdentityInput(IServiceProvider services) =>
        WorkerTopology.IdentityInput(services.GetRequiredService<StreamOptions>().ApplicationId);

    private static string KpisInput(IServiceProvider services) =>
        WorkerTopology.KpisInput(services.GetRequiredService<StreamOptions>().ApplicationId);

    private static string CustomersInput(IServiceProvider services) =>
        WorkerTopology.CustomersInput(services.GetRequiredService<StreamOptions>().ApplicationId);

    private static StreamEngine Engine(IServiceProvider services, IStreamHandler handler) => new(
        services.GetRequiredService<KafkaOptions>(), services.GetRequiredService<StreamOptions>(), handler,
        services.GetRequiredService<StoreRestorer>(), services.GetRequiredService<StreamingMetrics>(),
        services.GetRequiredService<ILogger<StreamEngine>>(), services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<InstanceDirectory>());

    private static void AddCatalog<TCatalog, TOptions>(IServiceCollection services, string section)
        where TCatalog : class, IDefinitionCatalog where TOptions : DefinitionFileOptions
    {
        services.AddOptions<TOptions>().BindConfiguration(section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        services.AddSingleton<TCatalog>();
        services.AddSingleton<IDefinitionCatalog>(sp => sp.GetRequiredService<TCatalog>());
    }

    private static void AddCheckedOptions<T>(IServiceCollection services, string section, Func<T, string?> problem) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemValidation<T>(problem));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, string section) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }
}
