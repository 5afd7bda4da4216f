using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using OmniStream.ServiceDefaults.Auth;

namespace OmniStream.ServiceDefaults.Http;

/// <summary>
/// Says in the OpenAPI document what each operation requires (its permission, or open to every
/// caller), and describes the endpoints the API explorer does not see (e.g. <c>GET /metrics</c>),
/// so that every mapped endpoint is in the document.
/// </summary>
internal sealed class PermissionsTransformer(EndpointDataSource endpoints, AuthOptions auth) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Paths ??= [];
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PermissionMetadata>() is not { } permission || endpoint.RoutePattern.RawText is not { } pattern)
            {
                continue;
            }
            var path = "/" + pattern.TrimStart('/');
            if (!document.Paths.TryGetValue(path, out var item))
            {
                document.Paths[path] = item = new OpenApiPathItem();
            }
            var operations = ((OpenApiPathItem)item).Operations ??= [];
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var key = HttpMethod.Parse(method);
                if (!operations.TryGetValue(key, out var operation))
                {
                    operations[key] = operation = new OpenApiOperation
                    {
                        Summary = endpoint.DisplayName,
                        Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
                    };
                }
                operation.Description = string.Join("\n\n", new[] { operation.Description, Requirement(permission.Name) }.Where(t => !string.IsNullOrEmpty(t)));
            }
        }
        return Task.CompletedTask;
    }

    private string Requirement(string permission) => auth.AnonymousPermissions.Contains(permission)
        ? $"Open to every caller (permission '{permission}' is granted anonymously by OmniStream:Auth:Anonymous)."
        : $"Requires permission '{permission}': 401 without valid credentials, 403 without the permission.";
}
