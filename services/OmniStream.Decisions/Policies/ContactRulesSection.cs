using System.Globalization;
using OmniStream.Schemas.Contracts;

namespace OmniStream.Decisions.Policies;

/// <summary>Reads a policy file's <c>contact_rules</c>.</summary>
internal static class ContactRulesSection
{
    public static ContactRules Read(YamlFields fields)
    {
        fields.OnlyKnown("caps", "min_gap", "quiet_hours", "default_time_zone", "pause_marketing_while_ticket_open", "not_again_after_conversion");
        var zoneId = fields.Text("default_time_zone");
        var zone = zoneId is null ? null
            : LocalTime.Find(zoneId) ?? throw fields.Error(fields.Node("default_time_zone")!, $"'default_time_zone': '{zoneId}' is not a time zone this machine knows (an IANA id such as Europe/Paris)");
        return new ContactRules(Caps(fields), fields.Duration("min_gap"), QuietHours(fields), zone,
            fields.Flag("pause_marketing_while_ticket_open") ?? false, fields.Duration("not_again_after_conversion"));
    }

    private static Dictionary<string, Cap> Caps(YamlFields fields)
    {
        if (fields.Node("caps") is not { } node)
        {
            return [];
        }
        var caps = YamlFields.Of(node, fields.Source, "caps");
        return caps.Entries.ToDictionary(e => e.Name, e =>
        {
            if (e.Name != ContactRules.AllChannels)
            {
                caps.Symbol<Channel>(e.Name, e.Value, $"caps (a channel or '{ContactRules.AllChannels}')");
            }
            var cap = YamlFields.Of(e.Value, fields.Source, $"caps of {e.Name}");
            cap.OnlyKnown("day", "week");
            return new Cap(cap.Whole("day"), cap.Whole("week"));
        });
    }

    private static QuietHours? QuietHours(YamlFields fields)
    {
        if (fields.Text("quiet_hours") is not { } text)
        {
            return null;
        }
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            && from != to
            ? new QuietHours(from, to)
            : throw fields.Error(fields.Node("quiet_hours")!, $"'quiet_hours': '{text}' is not a span like 21:00-08:00");
    }
}
