package io.spill.spi;

import java.util.List;

/**
 * An optional ability of a {@link SpillStore} that uploads large files in parts (S3's multipart
 * uploads): an upload that was started and neither completed nor aborted, because its writer was
 * killed, keeps its parts in the store (and on the bill) until it is aborted. spill's purge aborts
 * the uploads of runs whose lease is gone, and never those of a live run.
 */
public interface SupportsIncompleteUploads {

  /**
   * The files below {@code directory} with an upload that was started and is neither completed nor
   * aborted.
   *
   * @param directory a relative path, or "" for the root
   * @return the files, as paths relative to the store's root, each once
   * @throws SpillException if the store cannot be read
   */
  List<String> incompleteUploads(String directory);

  /**
   * Aborts every incomplete upload of {@code file}; a completed file of that name is not touched.
   *
   * @param file a relative path
   * @return how many uploads were aborted
   * @throws SpillException if the store refuses
   */
  int abortIncompleteUploads(String file);
}
