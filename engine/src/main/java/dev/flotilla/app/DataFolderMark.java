package dev.flotilla.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The mark an engine leaves in its data folder once its embedded database holds state. A folder
 * with the mark but without the database (deleted, or emptied to zero bytes) lost its history:
 * starting would silently create a new database and roll every app's HEAD out again, so the engine
 * refuses unless told to begin again ({@code serve --reinitialize}).
 */
final class DataFolderMark {
  static final String MARK = "engine-state";
  /** The file H2 keeps the embedded database in (see {@code DatabaseSettings.embeddedUrl}). */
  static final String DATABASE = "flotilla.mv.db";

  private final Path dataDir;

  DataFolderMark(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Refuses a marked folder whose database is gone, unless {@code reinitialize}. */
  void check(boolean reinitialize) throws IOException {
    Path mark = dataDir.resolve(MARK);
    if (!Files.exists(mark)) return;
    Path db = dataDir.resolve(DATABASE);
    boolean gone = !Files.exists(db) || Files.size(db) == 0;
    if (!gone) return;
    if (reinitialize) {
      Files.deleteIfExists(db); // an emptied file: H2 starts a new one
      Files.delete(mark); // marked again, with the new database's date, once it is open
      return;
    }
    throw new StartRefusedException("the data folder " + dataDir + " held an engine's state (" + Files.readString(mark).strip()
        + ") but its database " + db.getFileName() + " is " + (Files.exists(db) ? "empty" : "gone")
        + ": restore it from a backup, or start with --reinitialize to begin again without history"
        + " (every app's current revision then rolls out again)");
  }

  /** Marks the folder as holding state (once). */
  void mark(Instant now) throws IOException {
    Path mark = dataDir.resolve(MARK);
    if (Files.exists(mark) && Files.exists(dataDir.resolve(DATABASE))) return;
    Files.createDirectories(dataDir);
    Files.writeString(mark, "database created " + now + "\n");
  }
}
