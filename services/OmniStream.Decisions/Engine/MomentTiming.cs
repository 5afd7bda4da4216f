using OmniStream.Customers.Segments;
using OmniStream.Customers.State;
using OmniStream.Decisions.Policies;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Engine;

/// <summary>When a policy's moment is due, in the customer's time zone where the moment names a time of day.</summary>
public static class MomentTiming
{
    /// <summary>When a moment triggered at <paramref name="triggeredAt"/> is due; null when it cannot be (a booking time missing).</summary>
    public static DateTime? DueOf(Moment moment, DateTime triggeredAt, IReadOnlyDictionary<string, string> facts, CustomerState state, ContactRules rules)
    {
        ArgumentNullException.ThrowIfNull(moment);
        if (moment.After is { } after)
        {
            return triggeredAt + after;
        }
        if (moment.At?.NextDayAt is { } time)
        {
            var zone = ZoneOf(state, rules) ?? TimeZoneInfo.Utc;
            var local = TimeZoneInfo.ConvertTimeFromUtc(triggeredAt, zone);
            return LocalTime.ToUtc(local.Date.AddDays(1) + time.ToTimeSpan(), zone);
        }
        return moment.At?.BeforeScheduled is { } before && TriggerFacts.ScheduledAt(facts) is { } scheduled ? scheduled - before : null;
    }

    /// <summary>The customer's time zone: their profile's, else the policies' default; null when neither is known.</summary>
    public static TimeZoneInfo? ZoneOf(CustomerState state, ContactRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        return LocalTime.Find(state.Profile.GetValueOrDefault(LocalTime.ProfileAttribute)?.Value) ?? rules.DefaultTimeZone;
    }

    /// <summary>
    /// When quiet hours hold back <paramref name="action"/> at <paramref name="now"/> (it contacts the customer, the
    /// rules have quiet hours and the customer's time zone is known): their end and a text naming them; null otherwise.
    /// </summary>
    public static (DateTime End, string QuietHours)? QuietHoursHold(ActionDefinition action, CustomerState state, ContactRules rules, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(rules);
        return action.ContactsCustomer && rules.QuietHours is { } quiet && ZoneOf(state, rules) is { } zone && quiet.EndAfter(now, zone) is { } end
            ? (end, $"quiet hours {quiet} in {zone.Id}")
            : null;
    }
}
