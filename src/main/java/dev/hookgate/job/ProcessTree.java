package dev.hookgate.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job's process and everything it started. Where the system has {@code setsid} (Linux), the
 * program runs as the leader of its own session and process group: a background child it leaves
 * behind ({@code daemon &}) stays in that group after the program exits, when it is no longer its
 * descendant, and can still be found (through {@code /proc}) and ended.
 */
final class ProcessTree {
  private static final Optional<Path> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
      .map(Path::of).filter(Files::isExecutable).findFirst();
  private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

  private ProcessTree() {}

  /** The command line that starts {@code argv} in a process group of its own, when the system allows. */
  static List<String> command(List<String> argv) {
    if (SETSID.isEmpty() || !PROC) {
      return argv;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(SETSID.get().toString());
    cmd.addAll(argv);
    return cmd;
  }

  /**
   * Ends (SIGKILL) the process, the members of its process group and the descendants of all of
   * them. Returns how many processes other than {@code process} itself were still alive.
   */
  static int kill(Process process) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    process.descendants().forEach(tree::add);
    if (SETSID.isPresent() && PROC) {
      // the program is its group's leader: the group id is its pid (setsid never forks here,
      // a child of the JVM is never a group leader)
      ProcessHandle.allProcesses().filter(h -> h.pid() != process.pid() && groupOf(h.pid()) == process.pid())
          .forEach(h -> {
            tree.add(h);
            h.descendants().forEach(tree::add);
          });
    }
    int killed = 0;
    for (ProcessHandle h : tree) {
      if (h.isAlive() && h.destroyForcibly()) {
        killed++;
      }
    }
    process.destroyForcibly();
    return killed;
  }

  /** The process group of {@code pid} from {@code /proc/<pid>/stat} (-1 when it is gone). */
  static long groupOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
