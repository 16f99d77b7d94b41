package dev.ferry.pipeline.shape;

import com.fasterxml.jackson.databind.JsonNode;

/** A mapping result without {@code type}: sent as it is. */
public record Body(JsonNode json) implements Output {}
