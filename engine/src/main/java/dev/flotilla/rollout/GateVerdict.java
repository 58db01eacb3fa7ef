package dev.flotilla.rollout;

/** What one gate says about a wave: passed, still waiting, or failed (which halts the rollout). */
sealed interface GateVerdict permits GateVerdict.Passed, GateVerdict.Waiting, GateVerdict.Failed {

  Gate gate();

  String detail();

  record Passed(Gate gate, String detail) implements GateVerdict {}

  record Waiting(Gate gate, String detail) implements GateVerdict {}

  record Failed(Gate gate, String detail) implements GateVerdict {}
}
