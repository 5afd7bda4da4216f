using OmniStream.Channels.Adapters.Chat;
using OmniStream.Channels.Adapters.Email;
using OmniStream.Channels.Adapters.Segment;
using OmniStream.Channels.Json;

namespace OmniStream.Channels.Adapters;

/// <summary>The format a bad row is read again with, by the source its row names; with the mappings in force now (configured as the gateway's).</summary>
public sealed class BadRowFormats(SegmentMapping segment, SendGridMapping sendGrid)
{
    /// <summary>The format of <paramref name="row"/>; null when no format reads rows from its source.</summary>
    public IMessageFormat? For(BadRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Source == InteractionJsonFormat.Instance.Source)
        {
            return InteractionJsonFormat.Instance;
        }
        var chat = new DialogflowAdapter();
        if (row.Source == chat.Source)
        {
            return chat;
        }
        var email = new SendGridAdapter(sendGrid);
        if (row.Source == email.Source)
        {
            return email;
        }
        if (row.Source.StartsWith(SegmentAdapter.SourcePrefix, StringComparison.Ordinal) && row.Channel is { } channel)
        {
            return new SegmentAdapter(segment, row.Source[SegmentAdapter.SourcePrefix.Length..], channel);
        }
        return null;
    }
}
