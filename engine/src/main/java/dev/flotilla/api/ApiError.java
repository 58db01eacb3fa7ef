package dev.flotilla.api;

/** The JSON body of every error response: {@code {"error": "conflict", "reason": "..."}}. */
public record ApiError(String error, String reason) {}
