package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real file channel that asks its {@link Faults} before every write and fsync, so a test can
 * make the disk fail at any point. A failing write first writes half its bytes, as a disk that
 * fills up mid-write does.
 */
final class FaultyChannel extends FileChannel {

  private final FileChannel real;
  private final Faults faults;

  FaultyChannel(FileChannel real, Faults faults) {
    this.real = real;
    this.faults = faults;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    IOException failure = faults.before(Faults.Op.WRITE);
    if (failure != null) {
      int half = src.remaining() / 2;
      if (half > 0) {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + half);
        real.write(part);
      }
      throw failure;
    }
    return real.write(src);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    IOException failure = faults.before(Faults.Op.FORCE);
    if (failure != null) {
      throw failure;
    }
    real.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return real.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    IOException failure = faults.before(Faults.Op.WRITE);
    if (failure != null) {
      throw failure;
    }
    return real.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    real.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    IOException failure = faults.before(Faults.Op.WRITE);
    if (failure != null) {
      throw failure;
    }
    return real.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return real.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    IOException failure = faults.before(Faults.Op.WRITE);
    if (failure != null) {
      throw failure;
    }
    return real.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    throw new UnsupportedOperationException("the embedded log does not map files");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
