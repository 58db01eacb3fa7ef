package dev.flotilla.rollout;

import java.time.Instant;
import java.util.List;

/** What a rollout is waiting on after a step, for display ("waiting on approval of wave canary"). */
public sealed interface Wait permits Wait.Nothing, Wait.OnSites, Wait.OnGate, Wait.OnWindow, Wait.OnFreeze, Wait.Stopped {

  /** A human-readable line. */
  String describe();

  /** Nothing: the rollout is finished, or it will act on the next step. */
  record Nothing() implements Wait {
    public String describe() {
      return "nothing";
    }
  }

  /** Sites of the wave that are sent but not confirmed, or not sent yet. */
  record OnSites(String wave, List<String> sites) implements Wait {
    public OnSites {
      sites = List.copyOf(sites);
    }

    /** Names at most {@value #NAMED} sites: the line is stored and shown on every change, and a wave may wait on thousands. */
    public String describe() {
      if (sites.size() <= NAMED) return "wave " + wave + ": waiting on " + sites.size() + " site(s) " + sites;
      return "wave " + wave + ": waiting on " + sites.size() + " site(s) " + String.join(", ", sites.subList(0, NAMED)) + " and "
          + (sites.size() - NAMED) + " more";
    }

    static final int NAMED = 5;
  }

  /** A gate of the wave that has not passed yet. */
  record OnGate(String wave, Gate gate, String detail) implements Wait {
    public String describe() {
      return "wave " + wave + ": gate " + gate.word() + ": " + detail;
    }
  }

  /** The maintenance window that is closed for the wave's remaining sites; null when it never opens. */
  record OnWindow(String wave, String window, Instant nextOpening) implements Wait {
    public String describe() {
      return "wave " + wave + ": window " + window + " closed" + (nextOpening == null ? "" : " until " + nextOpening);
    }
  }

  /** A fleet-wide freeze. */
  record OnFreeze(String freeze, Instant until) implements Wait {
    public String describe() {
      return "freeze " + freeze + " until " + until;
    }
  }

  /** The rollout does not promote: it is held, queued, paused, halted or over. */
  record Stopped(String why) implements Wait {
    public String describe() {
      return why;
    }
  }
}
