using OmniStream.Decisions.Engine;

namespace OmniStream.Worker.Decisions;

/// <summary>
/// Told of every decision stage <c>customers</c> makes, the silent ones too (no action eligible, deferred, withheld):
/// for a dry run of the policies (<c>omnistream policies replay</c>). None is registered in a running worker.
/// </summary>
public interface IDecisionObserver
{
    /// <summary>Called in the decision's transaction, before its action is sent; <paramref name="now"/> is the stage's clock.</summary>
    void Decided(string customerId, Decision decision, DateTime now);
}
