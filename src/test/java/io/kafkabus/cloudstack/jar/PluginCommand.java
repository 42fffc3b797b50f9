package io.kafkabus.cloudstack.jar;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the built plugin jar's command line, {@code java -jar <plugin jar> ARGS}, in a process of
 * its own, as an operator runs it: no CloudStack class and no test class on its class path.
 */
final class PluginCommand {
    final int exitCode;
    final String out;
    final String err;
    final Duration took;

    private PluginCommand(int exitCode, String out, String err, Duration took) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
        this.took = took;
    }

    /** Runs the jar with {@code args}; fails the test if it is still running after {@code timeout}. */
    static PluginCommand run(Duration timeout, String... args) {
        return start(args).finish(timeout);
    }

    /** Starts the jar with {@code args}, for a test that acts while it runs; {@link Running#finish} ends it. */
    static Running start(String... args) {
        return start(List.of(), Map.of(), args);
    }

    /**
     * Runs the jar with {@code args}, its JVM started with {@code jvmOptions} ({@code -Dname=value})
     * and {@code environment} added to this one's.
     */
    static PluginCommand run(Duration timeout, List<String> jvmOptions, Map<String, String> environment, String... args) {
        return start(jvmOptions, environment, args).finish(timeout);
    }

    /**
     * Runs the jar's command line with {@code args} from the class path {@code classPath} (the jar and
     * what an operator put beside it), its JVM started with {@code jvmOptions}.
     */
    static PluginCommand runMain(Duration timeout, String classPath, List<String> jvmOptions, String... args) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of("-cp", classPath, "io.kafkabus.cloudstack.cli.Main"));
        return launch(options, Map.of(), args).finish(timeout);
    }

    private static Running start(List<String> jvmOptions, Map<String, String> environment, String... args) {
        Path jar = Paths.get(System.getProperty("plugin.jar", "target/plugin.jar-property-not-set.jar"));
        assertTrue(Files.isRegularFile(jar), "built jar not found: " + jar + " (run mvn verify)");
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of("-jar", jar.toString()));
        return launch(options, environment, args);
    }

    /** {@code java -Xmx256m OPTIONS ARGS}: OPTIONS end with what to run ({@code -jar JAR} or {@code -cp PATH CLASS}). */
    private static Running launch(List<String> options, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(options);
        command.addAll(Arrays.asList(args));
        try {
            Path out = Files.createTempFile("plugin-command", ".out");
            Path err = Files.createTempFile("plugin-command", ".err");
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new Running(command, process, out, err, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of the jar not yet ended. */
    static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;
        private final long start;

        private Running(List<String> command, Process process, Path out, Path err, long start) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
            this.start = start;
        }

        /** What it printed on standard error so far. */
        String errSoFar() {
            try {
                return Files.readString(err, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for it to end; fails the test if it is still running after {@code timeout}. */
        PluginCommand finish(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    fail("still running after " + timeout + ": " + command + "\nout:\n" + Files.readString(out) + "\nerr:\n"
                            + Files.readString(err));
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                PluginCommand run = new PluginCommand(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), took);
                Files.delete(out);
                Files.delete(err);
                return run;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Everything it printed, for assertion messages. */
    @Override
    public String toString() {
        return "exit code " + exitCode + " after " + took.toMillis() + " ms\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
