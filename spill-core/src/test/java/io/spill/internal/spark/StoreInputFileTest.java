package io.spill.internal.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.internal.domain.InMemoryStore;
import java.io.EOFException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;

/** The Parquet stream over the store port: positions, ranges and the end of the file. */
class StoreInputFileTest {
  private static final byte[] CONTENT =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private SeekableInputStream open() {
    InMemoryStore store = new InMemoryStore();
    store.write("d/f.parquet", CONTENT);
    return new StoreInputFile(store, "d/f.parquet", CONTENT.length).newStream();
  }

  @Test
  void readsFromWhereItWasSoughtAndTracksThePosition() throws Exception {
    try (SeekableInputStream in = open()) {
      in.seek(8);
      byte[] four = new byte[4];
      in.readFully(four);
      assertThat(new String(four, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("89ab");
      assertThat(in.getPos()).isEqualTo(12);
      ByteBuffer rest = ByteBuffer.allocate(10);
      assertThat(in.read(rest)).isEqualTo(4);
      assertThat(rest.position()).isEqualTo(4);
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[3], 0, 3)).isEqualTo(-1);
    }
  }

  @Test
  void theFooterIdiomReadsTheLastBytes() throws Exception {
    try (SeekableInputStream in = open()) {
      in.seek(CONTENT.length - 8);
      ByteBuffer tail = ByteBuffer.allocate(8);
      in.readFully(tail);
      assertThat(tail.array()).containsExactly(java.util.Arrays.copyOfRange(CONTENT, 8, 16));
      in.seek(0);
      assertThat(in.read()).isEqualTo('0');
    }
  }

  @Test
  void aFooterCostsOneReadOfTheTailAndReadsBeforeItGoToTheStore() throws Exception {
    int size = StoreInputFile.TAIL_BYTES + 1000;
    byte[] content = new byte[size];
    new java.util.Random(7).nextBytes(content);
    InMemoryStore store = new InMemoryStore();
    store.write("d/big.parquet", content);
    try (SeekableInputStream in = new StoreInputFile(store, "d/big.parquet", size).newStream()) {
      in.seek(size - 8);
      byte[] last = new byte[8];
      in.readFully(last);
      in.seek(size - 5000);
      ByteBuffer footer = ByteBuffer.allocate(4992);
      in.readFully(footer);
      assertThat(store.reads()).isEqualTo(1);
      assertThat(last).containsExactly(java.util.Arrays.copyOfRange(content, size - 8, size));
      assertThat(footer.array())
          .containsExactly(java.util.Arrays.copyOfRange(content, size - 5000, size - 8));
      in.seek(10);
      byte[] head = new byte[990]; // ends before the tail: a read of its own
      in.readFully(head);
      assertThat(head).containsExactly(java.util.Arrays.copyOfRange(content, 10, 1000));
      assertThat(store.reads()).isEqualTo(2);
    }
  }

  @Test
  void readingOrSeekingPastTheEndIsAnEofError() throws Exception {
    try (SeekableInputStream in = open()) {
      assertThatThrownBy(() -> in.seek(17)).isInstanceOf(EOFException.class);
      in.seek(14);
      assertThatThrownBy(() -> in.readFully(new byte[3]))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("d/f.parquet");
      assertThat(in.getPos()).isEqualTo(14);
    }
  }
}
