package dev.flotilla.demo;

import java.util.Arrays;

/**
 * What the demo's release does: {@code default} is a good release that travels through every wave;
 * {@code bad-release} fails at the canary wave, halts, and its canary sites are rolled back.
 */
public enum DemoScenario {
  DEFAULT("default", "4.13.0"),
  BAD_RELEASE("bad-release", "4.13.0-bad");

  private final String word;
  private final String imageTag;

  DemoScenario(String word, String imageTag) {
    this.word = word;
    this.imageTag = imageTag;
  }

  /** The name on the command line and in the report. */
  public String word() {
    return word;
  }

  /** The pos image tag the scenario's release commits. */
  public String imageTag() {
    return imageTag;
  }

  /** Whether the simulated sites fail to apply the release. */
  boolean releaseFails() {
    return this == BAD_RELEASE;
  }

  public static DemoScenario parse(String word) {
    return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + word + "': expected default or bad-release"));
  }
}
