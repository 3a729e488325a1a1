package dev.hookgate.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The README's and the shipped config's example secrets ({@code change-me…}) are published: a gateway
 * that listens beyond loopback must not accept them. Each such token, key or signing secret is a
 * problem naming its key, never its value.
 */
final class PlaceholderSecrets {
  static final String PREFIX = "change-me";

  private PlaceholderSecrets() {}

  /** The problems of {@code config}: none when it listens on a loopback address only. */
  static List<String> problems(GatewayConfig config) {
    List<String> problems = new ArrayList<>();
    if (loopback(config.http().host())) {
      return problems;
    }
    check(problems, "admin.token", config.admin().token());
    config.commands().values().forEach(c -> {
      check(problems, "commands." + c.name() + ".token", c.token());
      check(problems, "commands." + c.name() + ".slack-signing-secret", c.slackSigningSecret());
    });
    config.hooks().values().forEach(h -> check(problems, "hooks." + h.name() + ".key", Optional.of(h.key())));
    return problems;
  }

  private static void check(List<String> problems, String key, Optional<String> secret) {
    if (secret.filter(s -> s.trim().toLowerCase(Locale.ROOT).startsWith(PREFIX)).isPresent()) {
      problems.add(key + ": is a published example secret (change-me…) and http.host is not a loopback "
          + "address; set a secret of your own (e.g. openssl rand -hex 16), or listen on 127.0.0.1");
    }
  }

  /** A loopback address literal (127.0.0.0/8, ::1) or {@code localhost}; no name is looked up. */
  static boolean loopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(h);
    try {
      return address != null && InetAddress.getByAddress(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
