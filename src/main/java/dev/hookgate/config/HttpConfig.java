package dev.hookgate.config;

/** {@code http.*}: where the gateway listens and what it accepts. */
public record HttpConfig(String host, int port, int maxBodyBytes, int maxFormFields) {}
