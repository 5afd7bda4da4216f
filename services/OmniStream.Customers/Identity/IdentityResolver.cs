using OmniStream.Schemas.Contracts;

namespace OmniStream.Customers.Identity;

/// <summary>
/// Resolves who an event is about. An anonymous or device id is tied to a customer by an
/// <see cref="Identified"/> event only (login, loyalty card scan, email link); from then on its
/// events go to the customer, and what was gathered under it before is merged into the customer.
/// One customer may have many ids; an id belongs to one customer: a link that contradicts an
/// existing one is refused and reported, never applied.
/// </summary>
public static class IdentityResolver
{
    /// <summary>Decides for <paramref name="interaction"/>, given the recorded links (<paramref name="linkOf"/>: id → customer id, or null).</summary>
    public static IdentityDecision Resolve(InteractionEvent interaction, Func<string, string?> linkOf)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(linkOf);
        if (interaction.payload is Identified identified)
        {
            return Link(identified, interaction, linkOf);
        }
        var key = interaction.subject.Key;
        // A customer id is a customer's own key; other ids go to their customer once linked.
        return string.IsNullOrWhiteSpace(interaction.subject.customerId) && linkOf(key) is { } customer
            ? new IdentityDecision(customer)
            : new IdentityDecision(key);
    }

    /// <summary>
    /// The customer <paramref name="interaction"/> belongs to when that needs no resolution: it names
    /// its customer and ties no id to them (<see cref="Resolve"/> routes it to that customer whatever the
    /// links say); null when it must go through resolution.
    /// </summary>
    public static string? NamedCustomer(InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.payload is not Identified && !string.IsNullOrWhiteSpace(interaction.subject.customerId)
            ? interaction.subject.customerId
            : null;
    }

    /// <summary>
    /// The id whose link resolution looks up for <paramref name="interaction"/>: the anonymous or
    /// device id of an <see cref="Identified"/> event, else the subject's key. Events are
    /// partitioned by it, so that an id's events and the event that links it meet in one place.
    /// </summary>
    public static string LookupKey(InteractionEvent interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.payload is Identified identified ? identified.anonymousId : interaction.subject.Key;
    }

    private static IdentityDecision Link(Identified identified, InteractionEvent interaction, Func<string, string?> linkOf)
    {
        var (id, customer) = (identified.anonymousId, identified.customerId);
        if (id == customer)
        {
            return new IdentityDecision(customer);
        }
        return linkOf(id) switch
        {
            null => new IdentityDecision(customer, new IdentityLink(id, customer, identified.method, interaction.occurredAt, interaction.eventId), MergeFrom: id),
            var owner when owner == customer => new IdentityDecision(customer),
            var owner => new IdentityDecision(customer, Conflict: new LinkConflict(id, owner, customer, interaction.eventId)),
        };
    }
}
