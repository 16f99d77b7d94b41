/**
 * Connections to Kafka clusters other than the worker's own: the {@code kafka.*} connection
 * profile, its translation to Kafka client configs, errors that say what to fix, and a check that
 * tries a profile before a pipeline runs.
 */
package dev.ferry.connect.kafka;
