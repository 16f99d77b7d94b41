package dev.ferry.connect.sink;

/** Placeholder. */
public class HttpSinkConnector {}
