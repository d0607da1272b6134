package io.spill.engine.arrow;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ReferenceManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * The engine's native memory: blocks from {@link MemoryUtil#allocateMemory}, and a bounded cache of
 * the large blocks that closed frames gave back, which the next frames take before asking the
 * system for more.
 *
 * <p>Why: a frame read eagerly needs fresh memory for every row, and memory new to the process is
 * mapped page by page on first touch; on virtual machines such page faults cost as much as decoding
 * the values. Arrow's Netty allocator gives its chunks back to the system as soon as they are
 * empty, so every eager read paid for them again. Blocks of at least {@link #MIN_BLOCK} bytes
 * (Arrow rounds buffer sizes below 16 MiB to powers of two, so sizes repeat) are kept, up to {@code
 * limit} bytes in all; smaller ones go straight back (the C allocator reuses those itself). {@link
 * #close()} frees the cache; blocks given back after it are freed at once.
 *
 * <p>Thread-safe: frames are read and closed on several threads at once.
 */
final class RetainingMemory implements AllocationManager.Factory, AutoCloseable {
  /** The smallest block kept for reuse. */
  static final long MIN_BLOCK = 64 * 1024;

  private static final ArrowBuf EMPTY =
      new ArrowBuf(ReferenceManager.NO_OP, null, 0, MemoryUtil.allocateMemory(0));

  private long limit;
  private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
  private long retained;
  private long reused;
  private boolean closed;

  /** A cache that keeps at most {@code limit} bytes of free blocks (0: keeps none). */
  RetainingMemory(long limit) {
    setLimit(limit);
  }

  /** Keeps at most {@code limit} bytes of free blocks from now on, freeing what is above it. */
  synchronized void setLimit(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    this.limit = limit;
    trimTo(limit);
  }

  /** Frees kept blocks until at most {@code bytes} bytes are kept. */
  private synchronized void trimTo(long bytes) {
    var sizes = free.entrySet().iterator();
    while (retained > bytes && sizes.hasNext()) {
      var e = sizes.next();
      while (retained > bytes && !e.getValue().isEmpty()) {
        MemoryUtil.freeMemory(e.getValue().pop());
        retained -= e.getKey();
      }
      if (e.getValue().isEmpty()) {
        sizes.remove();
      }
    }
  }

  @Override
  public AllocationManager create(BufferAllocator accountingAllocator, long size) {
    return new Block(accountingAllocator, take(size), size);
  }

  @Override
  public ArrowBuf empty() {
    return EMPTY;
  }

  /** The bytes of free blocks kept for reuse now. */
  synchronized long retainedBytes() {
    return retained;
  }

  /** How many blocks were served from the cache so far. */
  synchronized long reusedBlocks() {
    return reused;
  }

  private long take(long size) {
    if (size >= MIN_BLOCK) {
      synchronized (this) {
        ArrayDeque<Long> blocks = free.get(size);
        if (blocks != null && !blocks.isEmpty()) {
          retained -= size;
          reused++;
          return blocks.pop();
        }
      }
    }
    return MemoryUtil.allocateMemory(size);
  }

  private void give(long address, long size) {
    if (size >= MIN_BLOCK) {
      synchronized (this) {
        if (!closed && retained + size <= limit) {
          free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
          retained += size;
          return;
        }
      }
    }
    MemoryUtil.freeMemory(address);
  }

  /** Frees every kept block; blocks given back later are freed at once. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    trimTo(0);
  }

  /** One block, handed to Arrow's accounting. */
  private final class Block extends AllocationManager {
    private final long address;
    private final long size;

    Block(BufferAllocator accountingAllocator, long address, long size) {
      super(accountingAllocator);
      this.address = address;
      this.size = size;
    }

    @Override
    public long getSize() {
      return size;
    }

    @Override
    protected long memoryAddress() {
      return address;
    }

    @Override
    protected void release0() {
      give(address, size);
    }
  }
}
