using OmniStream.Adapters.Chat;
using OmniStream.Adapters.Email;
using OmniStream.Adapters.Segment;
using OmniStream.Adapters.Json;

namespace OmniStream.Adapters;

/// <summary>The format a bad row is read again with, by the source its row names; with the mappings in force now (configured as the gateway's).</summary>
public sealed class BadRowFormats(SegmentMapping segment, SendGridMapping sendGrid)
{
    private readonly DialogflowAdapter _chat = new();
    private readonly SendGridAdapter _email = new(sendGrid);

    /// <summary>The format of <paramref name="row"/>; null when no format reads rows from its source.</summary>
    public IMessageFormat? For(BadRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Source == InteractionJsonFormat.Instance.Source)
        {
            return InteractionJsonFormat.Instance;
        }
        if (row.Source == _chat.Source)
        {
            return _chat;
        }
        if (row.Source == _email.Source)
        {
            return _email;
        }
        if (row.Source.StartsWith(SegmentAdapter.SourcePrefix, StringComparison.Ordinal) && row.Channel is { } channel)
        {
            return new SegmentAdapter(segment, row.Source[SegmentAdapter.SourcePrefix.Length..], channel);
        }
        return null;
    }
}
