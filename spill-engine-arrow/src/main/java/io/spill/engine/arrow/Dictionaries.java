package io.spill.engine.arrow;

import io.spill.spi.UnsupportedColumnTypeException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Dictionary-encoded columns of a reader the user made (an IPC stream, Flight, the C Data
 * interface): in memory such a column holds the dictionary's ids, and its field's type is the ids'
 * type. A frame decodes them through the reader's dictionaries, so that the values, not their ids,
 * reach Spark.
 */
final class Dictionaries {
  private Dictionaries() {}

  /** Whether any top-level column is dictionary-encoded. */
  static boolean anyEncoded(Schema schema) {
    return schema.getFields().stream().anyMatch(f -> f.getDictionary() != null);
  }

  /**
   * The schema with each encoded column's field carrying its dictionary's value type.
   *
   * @throws UnsupportedColumnTypeException for a dictionary-encoded field inside a nested column,
   *     or a dictionary the reader does not have
   */
  static Schema decoded(Schema schema, DictionaryProvider dictionaries) {
    List<Field> fields = new ArrayList<>();
    for (Field f : schema.getFields()) {
      for (Field child : f.getChildren()) {
        refuseNested(f.getName(), f.getName() + "." + child.getName(), child);
      }
      DictionaryEncoding encoding = f.getDictionary();
      if (encoding == null) {
        fields.add(f);
        continue;
      }
      Dictionary dictionary = dictionary(f.getName(), encoding, dictionaries);
      Field values = dictionary.getVector().getField();
      fields.add(
          new Field(
              f.getName(),
              new FieldType(f.isNullable(), values.getType(), null, f.getMetadata()),
              values.getChildren()));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  private static void refuseNested(String column, String path, Field field) {
    if (field.getDictionary() != null) {
      throw new UnsupportedColumnTypeException(
          "column '"
              + column
              + "' (at "
              + path
              + ") is dictionary-encoded inside a nested column, which spill does not decode:"
              + " decode it before making the frame (DictionaryEncoder.decode)");
    }
    for (Field child : field.getChildren()) {
      refuseNested(column, path + "." + child.getName(), child);
    }
  }

  private static Dictionary dictionary(
      String column, DictionaryEncoding encoding, DictionaryProvider dictionaries) {
    Dictionary d = dictionaries.lookup(encoding.getId());
    if (d == null) {
      throw new UnsupportedColumnTypeException(
          "column '"
              + column
              + "' is dictionary-encoded with dictionary "
              + encoding.getId()
              + ", which its reader does not have");
    }
    return d;
  }

  /**
   * One batch with its encoded columns decoded: the decoded vectors are new (in the ids' allocator)
   * and belong to the result; the other columns are the batch's own vectors, which the result does
   * not own.
   */
  record Decoded(VectorSchemaRoot root, List<FieldVector> owned) implements AutoCloseable {
    @Override
    public void close() {
      owned.forEach(FieldVector::close);
    }
  }

  /** Decodes {@code batch}; {@code schema} is {@link #decoded} of the batch's schema. */
  static Decoded decode(VectorSchemaRoot batch, Schema schema, DictionaryProvider dictionaries) {
    List<FieldVector> vectors = new ArrayList<>();
    List<FieldVector> owned = new ArrayList<>();
    try {
      List<FieldVector> in = batch.getFieldVectors();
      for (int i = 0; i < in.size(); i++) {
        FieldVector v = in.get(i);
        DictionaryEncoding encoding = v.getField().getDictionary();
        if (encoding == null) {
          vectors.add(v);
          continue;
        }
        // the decoded vector is named as the dictionary is: move it under the column's own field
        FieldVector named = schema.getFields().get(i).createVector(v.getAllocator());
        owned.add(named);
        try (FieldVector values =
            (FieldVector)
                DictionaryEncoder.decode(
                    v, dictionary(v.getField().getName(), encoding, dictionaries))) {
          values.makeTransferPair(named).transfer();
        }
        vectors.add(named);
      }
    } catch (RuntimeException e) {
      owned.forEach(FieldVector::close);
      throw e;
    }
    return new Decoded(
        new VectorSchemaRoot(schema.getFields(), vectors, batch.getRowCount()), owned);
  }
}
