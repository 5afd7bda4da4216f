namespace OmniStream.Customers.Kpis;

/// <summary>Counts to add to a scope, in every window that holds <paramref name="At"/>.</summary>
/// <param name="At">The moment the counts belong to (a journey's start, an answer, an action's decision).</param>
/// <param name="Scope">The scope they count for.</param>
/// <param name="Counts">What to add.</param>
public readonly record struct KpiFact(DateTime At, KpiScope Scope, KpiCounts Counts);
