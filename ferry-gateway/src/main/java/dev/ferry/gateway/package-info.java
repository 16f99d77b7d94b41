/**
 * Ferry's event gateway: {@code POST /v1/events} takes events over HTTP, checks them, wraps each in
 * Ferry's envelope and produces it to Kafka, answering only once the broker acknowledged it. It
 * keeps no state that matters beyond one instance: more load means more gateways.
 */
package dev.ferry.gateway;
