package dev.hookgate.store;

/**
 * Work stored already leased to the node that wrote it ({@code owner} until {@code until}): that
 * node takes it from memory at once, with no claim; if it dies first, the lease expires and any
 * node's claim (or the next start's recovery) takes the work back.
 */
public record Lease(String owner, long until) {}
