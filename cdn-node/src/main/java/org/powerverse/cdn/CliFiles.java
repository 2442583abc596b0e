package org.powerverse.cdn;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File handling shared by the CLI commands: opening inputs, and errors in words. */
final class CliFiles {

  private CliFiles() {}

  /** Opens a regular file, or standard input for "-"; a directory is refused with a reason. */
  static InputStream openInput(Path file) throws IOException {
    if (file.toString().equals("-")) {
      return new BufferedInputStream(System.in, 1 << 16) {
        @Override
        public void close() {
          // Standard input stays open for the process.
        }
      };
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory; only files are supported");
    }
    return Files.newInputStream(file);
  }

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists (refusing to overwrite): " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
