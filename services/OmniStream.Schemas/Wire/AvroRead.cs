namespace OmniStream.Schemas.Wire;

/// <summary>Reads something from Avro's binary encoding (a generated reader, or a reader of a few fields).</summary>
/// <typeparam name="TResult">What it reads.</typeparam>
public delegate TResult AvroRead<out TResult>(ref AvroReader reader);

/// <summary>Reads a value from <paramref name="reader"/> with <paramref name="state"/>.</summary>
/// <typeparam name="TState">What the reading needs besides the reader.</typeparam>
/// <typeparam name="TResult">The value read.</typeparam>
public delegate TResult AvroRead<in TState, out TResult>(ref AvroReader reader, TState state);
