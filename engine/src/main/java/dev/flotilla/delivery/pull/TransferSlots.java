package dev.flotilla.delivery.pull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many bundle bodies are being sent at once, so a region reconnecting together is told
 * to come back later (503) instead of holding every bundle in memory at the same time. A slot is
 * held from the moment a bundle is read until its body has been written (the stream is closed).
 */
public final class TransferSlots {
  private final Semaphore slots;
  private final int size;

  public TransferSlots(int size) {
    if (size < 1) throw new IllegalArgumentException("at least one transfer slot, got " + size);
    this.slots = new Semaphore(size);
    this.size = size;
  }

  /** A slot, if one is free now. */
  public Optional<Slot> tryTake() {
    return slots.tryAcquire() ? Optional.of(new Slot()) : Optional.empty();
  }

  public int inUse() {
    return size - slots.availablePermits();
  }

  /** One transfer in progress; released once, by {@link #release} or by closing the body it sends. */
  public final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    public void release() {
      if (released.compareAndSet(false, true)) slots.release();
    }

    /** {@code bytes} as a body whose closing releases this slot. */
    public InputStream body(byte[] bytes) {
      return new ByteArrayInputStream(bytes) {
        @Override
        public void close() {
          release();
        }
      };
    }
  }
}
