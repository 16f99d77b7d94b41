package dev.ferry.pipeline.shape;

/** What one message becomes after decoding and mapping: entities, or plain request bodies. */
public sealed interface Output permits Entity, Body, Raw {}
