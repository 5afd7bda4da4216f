namespace OmniStream.ServiceDefaults.Auth;

/// <summary>
/// Marks a page that a browser opens: a request without credentials is sent to <paramref name="Path"/> to sign in
/// (302) rather than answered 401.
/// </summary>
/// <param name="Path">The sign-in page.</param>
public sealed record SignInPageMetadata(string Path);
