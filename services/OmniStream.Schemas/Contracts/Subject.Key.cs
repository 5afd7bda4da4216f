namespace OmniStream.Schemas.Contracts;

public partial class Subject
{
    /// <summary>
    /// The record key of an interaction: the customer id, else the anonymous id, else the device id.
    /// </summary>
    /// <exception cref="InvalidOperationException">No id is set.</exception>
    public string Key =>
        NonEmpty(customerId) ?? NonEmpty(anonymousId) ?? NonEmpty(deviceId)
        ?? throw new InvalidOperationException("subject has no customerId, anonymousId or deviceId: at least one is required");

    private static string? NonEmpty(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;
}
