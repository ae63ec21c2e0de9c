/**
 * A Schema Registry client over HTTP speaking Confluent's REST API (schemas by id, subjects,
 * versions, compatibility), configured with Confluent's setting names. Bounded caches keep the hot
 * path free of HTTP calls once warm; an unreachable registry is a retriable condition, never a
 * reason to drop a record.
 */
package dev.nlpstreams.schema.registry;
