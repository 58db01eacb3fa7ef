package dev.flotilla.provider.github;

import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Problem;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.MarkdownPlan;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.render.RenderException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preview of a pull request on the fleet repo: plans base → head with the same planner as
 * {@code flotilla plan --format markdown}, posts it as one comment found again by
 * {@link #MARKER} and edited in place on every push, and sets the head's commit status
 * {@code flotilla/plan}: pending while planning, success with what changes, failure with the first
 * validation problem ({@code file:line: field: message}) or the render error.
 */
public final class PullRequestPreview {
  private static final Logger LOG = LoggerFactory.getLogger(PullRequestPreview.class);
  public static final String MARKER = "<!-- flotilla-plan -->";
  public static final String CONTEXT = "flotilla/plan";
  /**
   * The most characters a comment of ours holds, marker and heading included: below
   * {@link MarkdownPlan#GITHUB_COMMENT_LIMIT} (65,536), with room to spare in case a provider
   * counts a character outside ASCII as more than one.
   */
  static final int MAX_COMMENT = 60_000;

  /** A pull request as its webhook names it. */
  public record PullRequest(String repo, int number, String baseSha, String headSha) {}

  /** The planner: {@code flotilla plan}'s service. */
  @FunctionalInterface
  public interface Planning {
    Plan plan(String from, String to) throws GitSyncException, FleetValidationException, RenderException;
  }

  private final ProviderApi api;
  private final Planning planning;

  public PullRequestPreview(ProviderApi api, Planning planning) {
    this.api = api;
    this.planning = planning;
  }

  /** Plans, comments and sets the status; a provider failure is thrown (the caller logs it), a planning failure is the status. */
  public void preview(PullRequest pr) throws ProviderException {
    api.setStatus(pr.repo(), pr.headSha(), status(CommitState.PENDING, "planning " + shortId(pr.baseSha()) + " → " + shortId(pr.headSha())));
    String heading = "### Flotilla plan: `" + shortId(pr.baseSha()) + "` → `" + shortId(pr.headSha()) + "`\n\n";
    try {
      Plan plan = planning.plan(pr.baseSha(), pr.headSha());
      String prefix = MARKER + "\n" + heading;
      api.upsertComment(pr.repo(), pr.number(), MARKER, prefix + MarkdownPlan.write(plan, MAX_COMMENT - prefix.length()));
      String summary = plan.isEmpty() ? "no site changes" : plan.apps().size() + (plan.apps().size() == 1 ? " app changes" : " apps change");
      api.setStatus(pr.repo(), pr.headSha(), status(CommitState.SUCCESS, summary));
      LOG.info("provider: plan of {}#{} at {}: {}", pr.repo(), pr.number(), shortId(pr.headSha()), summary);
    } catch (FleetValidationException e) {
      List<Problem> problems = e.problems().stream().sorted(Problem.ORDER).toList();
      StringBuilder body = new StringBuilder(heading).append("**The fleet repo at the head is invalid** (").append(problems.size())
          .append(problems.size() == 1 ? " problem" : " problems").append("):\n\n");
      for (Problem p : problems) body.append("- `").append(p).append("`\n");
      fail(pr, body.toString(), problems.isEmpty() ? "invalid fleet repo" : problems.get(0).toString());
    } catch (RenderException e) {
      fail(pr, heading + "**A render failed:**\n\n```\n" + e.getMessage() + "\n```\n", "render failed: " + e.getMessage());
    } catch (GitSyncException e) {
      api.setStatus(pr.repo(), pr.headSha(), status(CommitState.ERROR, "cannot read the revisions: " + e.getMessage()));
      LOG.warn("provider: plan of {}#{}: cannot read the revisions: {}", pr.repo(), pr.number(), e.getMessage());
    }
  }

  private void fail(PullRequest pr, String body, String first) throws ProviderException {
    api.upsertComment(pr.repo(), pr.number(), MARKER, MARKER + "\n" + cut(body));
    api.setStatus(pr.repo(), pr.headSha(), status(CommitState.FAILURE, first));
    LOG.info("provider: plan of {}#{} at {} failed: {}", pr.repo(), pr.number(), shortId(pr.headSha()), first);
  }

  private static CommitStatus status(CommitState state, String description) {
    return new CommitStatus(CONTEXT, state, description, null);
  }

  /**
   * A failure's body (a list of problems, a render error) cut below the bound at a line's end, with
   * an open code block closed, so the comment still reads; the plan itself is bounded by {@link MarkdownPlan}.
   */
  static String cut(String markdown) {
    int room = MAX_COMMENT - MARKER.length() - 1;
    if (markdown.length() <= room) return markdown;
    String note = "\n… cut: the whole text is " + markdown.length() + " characters, more than a comment holds; "
        + "`flotilla validate --render` prints every problem.\n";
    int end = markdown.lastIndexOf('\n', room - note.length() - 8);
    String kept = markdown.substring(0, end + 1);
    boolean openFence = kept.lines().filter(l -> l.startsWith("```")).count() % 2 == 1;
    return kept + (openFence ? "```\n" : "") + note;
  }

  private static String shortId(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
