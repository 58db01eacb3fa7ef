package dev.flotilla.fleet;

import java.time.Duration;
import java.util.List;

/**
 * What must hold before the wave after this one starts. Every gate is optional; {@code soak} is
 * zero when absent, {@code analysis} and {@code window} null. {@code approvalByPullRequest}
 * ({@code approval: pull-request}) is an approval gate whose approval may also come from merging
 * the promotion pull request the engine opens; it implies {@code approval}.
 */
public record Gates(
    boolean health, Duration soak, boolean approval, List<String> ci, Analysis analysis, String window,
    boolean approvalByPullRequest) {

  public static final Gates NONE = new Gates(false, Duration.ZERO, false, List.of(), null, null);

  public Gates {
    soak = soak == null ? Duration.ZERO : soak;
    ci = List.copyOf(ci == null ? List.of() : ci);
    approval = approval || approvalByPullRequest;
  }

  /** Gates whose approval, if any, is given by a person only. */
  public Gates(boolean health, Duration soak, boolean approval, List<String> ci, Analysis analysis, String window) {
    this(health, soak, approval, ci, analysis, window, false);
  }
}
