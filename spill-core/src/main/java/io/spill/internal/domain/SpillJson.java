package io.spill.internal.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spill.spi.SpillException;
import java.io.IOException;

/** spill's JSON (manifests, leases, ownership markers), on Jackson; thread-safe. */
public final class SpillJson {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SpillJson() {}

  /** {@code value} as JSON bytes; {@code what} names it in the error. */
  public static byte[] write(Object value, String what) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SpillException("cannot write " + what + " as JSON", e);
    }
  }

  /** Parses {@code json}; an {@link IOException} says it is not a {@code type}. */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }
}
