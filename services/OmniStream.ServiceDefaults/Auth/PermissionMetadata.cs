namespace OmniStream.ServiceDefaults.Auth;

/// <summary>Endpoint metadata: the permission a request needs, named in the answer when it is missing.</summary>
/// <param name="Name">One of <see cref="Permissions"/>.</param>
public sealed record PermissionMetadata(string Name);
