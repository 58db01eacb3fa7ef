package dev.flotilla.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder that held an engine's state but lost its database is not silently started afresh. */
class DataFolderMarkTest {
  static final Instant NOW = Instant.parse("2026-12-10T10:00:00Z");
  @TempDir Path data;

  @Test
  void aNewFolderStartsAndIsMarked() throws Exception {
    DataFolderMark mark = new DataFolderMark(data);

    mark.check(false);
    Files.writeString(data.resolve(DataFolderMark.DATABASE), "h2");
    mark.mark(NOW);

    assertThat(data.resolve(DataFolderMark.MARK)).content().contains("2026-12-10T10:00:00Z");
    mark.check(false); // the database is there
  }

  @Test
  void aMarkedFolderWhoseDatabaseIsGoneIsRefused() throws Exception {
    Files.writeString(data.resolve(DataFolderMark.MARK), "database created 2026-01-01T00:00:00Z\n");

    assertThatThrownBy(() -> new DataFolderMark(data).check(false))
        .isInstanceOf(StartRefusedException.class)
        .hasMessageContaining("is gone").hasMessageContaining("--reinitialize").hasMessageContaining("restore it from a backup");
  }

  @Test
  void aMarkedFolderWhoseDatabaseIsEmptyIsRefused() throws Exception {
    Files.writeString(data.resolve(DataFolderMark.MARK), "database created 2026-01-01T00:00:00Z\n");
    Files.createFile(data.resolve(DataFolderMark.DATABASE));

    assertThatThrownBy(() -> new DataFolderMark(data).check(false))
        .isInstanceOf(StartRefusedException.class).hasMessageContaining("is empty");
  }

  @Test
  void reinitializeBeginsAgainAndMarksAnew() throws Exception {
    Files.writeString(data.resolve(DataFolderMark.MARK), "database created 2026-01-01T00:00:00Z\n");
    Files.createFile(data.resolve(DataFolderMark.DATABASE));
    DataFolderMark mark = new DataFolderMark(data);

    mark.check(true);
    assertThat(data.resolve(DataFolderMark.DATABASE)).doesNotExist();
    Files.writeString(data.resolve(DataFolderMark.DATABASE), "h2");
    mark.mark(NOW);

    assertThat(data.resolve(DataFolderMark.MARK)).content().contains("2026-12-10T10:00:00Z");
  }
}
