package io.gangway.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.gangway.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Runs {@code gangway} command lines for tests: in-process through the real {@link Main} command
 * tree with {@code System.out}/{@code System.err} captured (fast), or as a {@code java} process
 * with a chosen environment (for {@code NACOS_PASSWORD}, which cannot be set in-process).
 */
final class Cli {

  /** What a command did: its exit status and everything it printed. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {}

  /**
   * Runs {@code gangway args...} in this JVM. The commands print to System.out/err, so both are
   * swapped.
   */
  static synchronized Result inProcess(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, UTF_8);
        PrintStream e = new PrintStream(err, true, UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      // Main's constructor is private; picocli's default factory instantiates it reflectively, as
      // Main.main does.
      int status = new CommandLine(Main.class).execute(args);
      o.flush();
      e.flush();
      return new Result(status, out.toString(UTF_8), err.toString(UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  /**
   * Runs {@code java -cp <test classpath> io.gangway.server.Main args...} in {@code dir} with
   * exactly the Nacos variables in {@code env} (inherited NACOS_* variables are removed);
   * nacos-client writes its logs and snapshots under {@code dir}.
   */
  static Result process(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-DJM.LOG.PATH=" + dir.resolve("nacos-logs"),
                "-DJM.SNAPSHOT.PATH=" + dir.resolve("nacos-snapshot"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("NACOS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gangway " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }
}
