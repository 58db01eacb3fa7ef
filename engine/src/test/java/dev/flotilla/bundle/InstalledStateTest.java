package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installed sequence survives restarts and a lost or damaged record fails closed. */
class InstalledStateTest {
  @TempDir Path dir;

  static Statement statement(long sequence) {
    return new Statement("store-paris-01", "pos", "3f2a1c", sequence, Keys.T0, Keys.T0.plus(Duration.ofDays(1)), "00".repeat(32));
  }

  @Test
  void aRecordedInstallIsReadBackByANewInstance() throws BundleException {
    InstalledState state = new InstalledState(dir.resolve("installed.json"));
    state.create();
    assertThat(state.get("pos")).isEqualTo(Installed.NONE);
    state.record(statement(7), "ab".repeat(32));
    assertThat(new InstalledState(dir.resolve("installed.json")).get("pos")).isEqualTo(new Installed(7, "ab".repeat(32)));
  }

  @Test
  void aMissingFileFailsClosed() {
    assertThatThrownBy(() -> new InstalledState(dir.resolve("installed.json")).get("pos"))
        .isInstanceOf(BundleException.class).hasMessageContaining("missing");
  }

  @Test
  void aCorruptFileFailsClosed() throws Exception {
    Files.writeString(dir.resolve("installed.json"), "{\"apps\":{\"pos\":{\"sequence\":\"seven\"}}}");
    assertThatThrownBy(() -> new InstalledState(dir.resolve("installed.json")).get("pos"))
        .isInstanceOf(BundleException.class).hasMessageContaining("corrupt");
    Files.writeString(dir.resolve("installed.json"), "{\"apps\":");
    assertThatThrownBy(() -> new InstalledState(dir.resolve("installed.json")).get("pos"))
        .isInstanceOf(BundleException.class).hasMessageContaining("corrupt");
  }

  @Test
  void creatingOverAnExistingStateIsRefused() throws BundleException {
    InstalledState state = new InstalledState(dir.resolve("installed.json"));
    state.create();
    assertThatThrownBy(state::create).isInstanceOf(BundleException.class);
  }

  @Test
  void recordingALowerSequenceIsRefused() throws BundleException {
    InstalledState state = new InstalledState(dir.resolve("installed.json"));
    state.create();
    state.record(statement(7), "ab".repeat(32));
    assertThatThrownBy(() -> state.record(statement(6), "cd".repeat(32))).isInstanceOf(BundleException.class);
  }
}
