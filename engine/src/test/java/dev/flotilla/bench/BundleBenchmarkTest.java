package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundle benchmark on a few bundles: both signers agree, every built bundle verifies, the numbers are reported. */
class BundleBenchmarkTest {
  @Test
  void runsOnAFewBundlesAndReportsBothSigners() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, Object> n = new BundleBenchmark(2, new PrintStream(out, true, StandardCharsets.UTF_8)).run(40);
    assertThat(n).containsKeys("signBouncyCastle1Thread", "signJdk1Thread", "build", "verify", "buildCpuPerThreadRatioToGoal");
    assertThat(n.get("count")).isEqualTo(40);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Bouncy Castle", "JDK (SunEC)", "goal");
  }
}
