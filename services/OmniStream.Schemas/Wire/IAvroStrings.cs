namespace OmniStream.Schemas.Wire;

/// <summary>
/// A list of texts that writes its items' UTF-8 into an Avro encoding itself: the generated writers of
/// arrays of strings use it, so that text made only to be sent (an action's explanations) is never
/// made as strings.
/// </summary>
public interface IAvroStrings
{
    /// <summary>Writes item <paramref name="index"/> as an Avro string.</summary>
    void WriteItem(int index, ref AvroWriter writer);
}
