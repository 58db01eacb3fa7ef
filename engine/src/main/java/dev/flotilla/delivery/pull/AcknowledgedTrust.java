package dev.flotilla.delivery.pull;

import java.time.Instant;

/**
 * The trust version a site's agent last reported ({@code version} null when the site has a token
 * but its agent never reported one), since when it has reported that version, when it last said so
 * (the engine's clock), and the refusal of an update it reported with it, if any.
 */
public record AcknowledgedTrust(String site, Integer version, String problem, Instant since, Instant reportedAt) {}
