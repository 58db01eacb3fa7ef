package dev.flotilla.plan;

/** A changed object of one site: its id ({@code Kind/namespace/name}) and a unified diff of its YAML. */
public record ObjectDiff(String id, String unifiedDiff) {}
