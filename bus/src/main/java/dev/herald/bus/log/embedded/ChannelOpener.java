package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the embedded log opens its segment files, for writing and for reading. Production uses
 * {@link #DEFAULT}; tests pass one whose channels fail writes or fsyncs as a failing disk would.
 */
@FunctionalInterface
public interface ChannelOpener {

  ChannelOpener DEFAULT = FileChannel::open;

  FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
