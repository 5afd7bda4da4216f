namespace OmniStream.Schemas.Wire;

/// <summary>Reads something from Avro's binary encoding (a generated reader, or a reader of a few fields).</summary>
/// <typeparam name="TResult">What it reads.</typeparam>
public delegate TResult AvroRead<out TResult>(ref AvroReader reader);
