using System.Text;
using Confluent.Kafka;
using OmniStream.Worker.Topology;

namespace OmniStream.Worker.Customers;

/// <summary>What a record of stage <c>customers</c>'s input is, read from its headers in one pass.</summary>
public enum CustomerRecordKind
{
    /// <summary>An interaction event to fold (or an erasure request).</summary>
    Event,

    /// <summary>An outcome a channel reported on an action.</summary>
    Outcome,

    /// <summary>Keyed by an id just tied to a customer: hand the id's state over to that customer.</summary>
    HandOver,

    /// <summary>Keyed by a customer: the value is the state gathered under an id tied to them, to merge.</summary>
    Absorb,
}

/// <summary>A record of stage <c>customers</c>'s input: its kind, and the id its header carries (the customer to hand over to, the id a link was refused for).</summary>
/// <param name="Kind">What the record is.</param>
/// <param name="Customer">With <see cref="CustomerRecordKind.HandOver"/>: the customer the state goes to.</param>
/// <param name="RefusedOwner">With an event: the customer that owns the id the event tried to link (the link was refused).</param>
/// <param name="Journeys">With <see cref="CustomerRecordKind.Absorb"/>: journeys sent as JSON beside the state (hand-overs written before journeys moved into the state).</param>
public readonly record struct CustomerRecord(CustomerRecordKind Kind, string? Customer, string? RefusedOwner, byte[]? Journeys)
{
    /// <summary>Reads the kind of a record from its headers (the last of each name counts).</summary>
    public static CustomerRecord Of(Headers? headers)
    {
        byte[]? mergeInto = null, absorbFrom = null, outcome = null, linkRefused = null, journeys = null;
        for (var i = 0; i < (headers?.Count ?? 0); i++)
        {
            var header = headers![i];
            // Most headers are not the stages' own (a traceparent): told apart without hashing their names.
            if (!header.Key.StartsWith(StageHeaders.InternalPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            switch (header.Key)
            {
                case StageHeaders.MergeInto:
                    mergeInto = header.GetValueBytes();
                    break;
                case StageHeaders.AbsorbFrom:
                    absorbFrom = header.GetValueBytes();
                    break;
                case StageHeaders.Outcome:
                    outcome = header.GetValueBytes();
                    break;
                case StageHeaders.LinkRefused:
                    linkRefused = header.GetValueBytes();
                    break;
                case StageHeaders.Journeys:
                    journeys = header.GetValueBytes();
                    break;
            }
        }
        return mergeInto is not null ? new CustomerRecord(CustomerRecordKind.HandOver, Encoding.UTF8.GetString(mergeInto), null, null)
            : absorbFrom is not null ? new CustomerRecord(CustomerRecordKind.Absorb, null, null, journeys)
            : outcome is not null ? new CustomerRecord(CustomerRecordKind.Outcome, null, null, null)
            : new CustomerRecord(CustomerRecordKind.Event, null, linkRefused is null ? null : Encoding.UTF8.GetString(linkRefused), null);
    }
}
