package io.spill.engine.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.spi.FrameEngine;
import io.spill.testkit.FrameEngineContract;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;

/** The engine contract, and after each test: no Arrow memory held by the engine or a test. */
class ArrowFrameEngineContractTest extends FrameEngineContract<ArrowFrame> {
  private final List<RootAllocator> userAllocators = new ArrayList<>();
  private final List<ArrowFrame> userFrames = new ArrayList<>();

  @Override
  protected FrameEngine<ArrowFrame> newEngine() {
    return ArrowEngine.create();
  }

  @AfterEach
  void noMemoryIsHeldAfterClose() {
    ArrowFrameEngine arrow = (ArrowFrameEngine) engine;
    arrow.close();
    assertThat(arrow.allocatedBytes()).isZero();
    userFrames.forEach(ArrowFrame::close);
    for (RootAllocator a : userAllocators) {
      a.close(); // throws if a buffer is still held
      assertThat(a.getAllocatedMemory()).isZero();
    }
  }

  private RootAllocator userAllocator() {
    RootAllocator a = new RootAllocator();
    userAllocators.add(a);
    return a;
  }

  @Override
  protected ArrowFrame frameWithNanosecondTimestamps() {
    RootAllocator allocator = userAllocator();
    FieldType nanos = FieldType.nullable(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null));
    Schema schema =
        new Schema(
            List.of(
                new Field("ts", nanos, null),
                new Field(
                    "s",
                    FieldType.nullable(ArrowType.Struct.INSTANCE),
                    List.of(new Field("t", nanos, null)))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    long value =
        LocalDateTime.parse("2024-01-01T00:00:00").toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L
            + 999;
    ((TimeStampNanoVector) root.getVector("ts")).setSafe(0, value);
    StructVector s = (StructVector) root.getVector("s");
    ((TimeStampNanoVector) s.getChild("t")).setSafe(0, value);
    s.setIndexDefined(0);
    root.setRowCount(1);
    ArrowFrame frame = ArrowFrame.of(new BatchesReader(allocator, schema, List.of(root), true));
    userFrames.add(frame);
    return frame;
  }

  @Override
  protected ArrowFrame frameWithATypeSparkLacks() {
    RootAllocator allocator = userAllocator();
    Schema schema =
        new Schema(
            List.of(new Field("bad", FieldType.nullable(new ArrowType.Int(32, false)), null)));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    ((UInt4Vector) root.getVector("bad")).setSafe(0, 7);
    root.setRowCount(1);
    ArrowFrame frame = ArrowFrame.of(new BatchesReader(allocator, schema, List.of(root), true));
    userFrames.add(frame);
    return frame;
  }
}
