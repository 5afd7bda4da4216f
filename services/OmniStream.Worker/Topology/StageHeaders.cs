using System.Text;
using Confluent.Kafka;
using OmniStream.Kafka.Operations.DeadLetters;

namespace OmniStream.Worker.Topology;

/// <summary>
/// Headers by which the stages ask each other for more than "fold this event". Each carries an id
/// as UTF-8; the record's value is the event (or, for <see cref="AbsorbFrom"/>, a stored state).
/// </summary>
public static class StageHeaders
{
    /// <summary>To <c>customers</c>, keyed by an anonymous id just linked: hand your state over to this customer.</summary>
    public const string MergeInto = "omnistream.merge-into";

    /// <summary>To <c>customers</c>, keyed by a customer: the value is the state gathered under this id; merge it.</summary>
    public const string AbsorbFrom = "omnistream.absorb-from";

    /// <summary>To <c>customers</c>, on an <c>Identified</c> event: the link was refused, the id belongs to this customer.</summary>
    public const string LinkRefused = "omnistream.link-refused";

    /// <summary>To <c>identity</c>, keyed by an anonymous id: this customer was erased; forget the id's link to them.</summary>
    public const string Unlink = "omnistream.unlink";

    /// <summary>To <c>identity</c> and <c>customers</c>: the value is an <c>ActionOutcome</c>, not an event; the header carries its action id.</summary>
    public const string Outcome = "omnistream.outcome";

    /// <summary>With <see cref="AbsorbFrom"/>: the journeys (KPIs) gathered under the id, as JSON.</summary>
    public const string Journeys = "omnistream.journeys";

    /// <summary>The prefix of every header the worker's stages and engine write for each other.</summary>
    public const string InternalPrefix = "omnistream.";

    /// <summary>
    /// The first header of <paramref name="headers"/> reserved to the worker's own stages (merges,
    /// hand-overs, unlinks, outcomes, refused links, watermarks), or null. The mark a dead-letter
    /// replay leaves (<see cref="DeadLetterReplayer.ReplayedFrom"/>) only informs, and is allowed.
    /// </summary>
    public static string? FindInternal(Headers? headers)
    {
        for (var i = 0; i < (headers?.Count ?? 0); i++)
        {
            var key = headers![i].Key;
            if (key.StartsWith(InternalPrefix, StringComparison.Ordinal) && key != DeadLetterReplayer.ReplayedFrom)
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>The id carried by <paramref name="name"/>, or null when the record has no such header.</summary>
    public static string? Find(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>A copy of <paramref name="headers"/> with <paramref name="name"/> set to <paramref name="id"/>.</summary>
    public static Headers With(Headers? headers, string name, string id)
    {
        var copy = new Headers();
        foreach (var header in headers ?? [])
        {
            if (header.Key != name)
            {
                copy.Add(header.Key, header.GetValueBytes());
            }
        }
        copy.Add(name, Encoding.UTF8.GetBytes(id));
        return copy;
    }
}
