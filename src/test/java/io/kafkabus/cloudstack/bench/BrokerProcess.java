package io.kafkabus.cloudstack.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/** Starts {@link BenchBroker} in its own JVM, on this JVM's class path, and sends it commands. */
final class BrokerProcess implements AutoCloseable {
    /** USER_HZ: 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final String bootstrapServers;

    private BrokerProcess(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = answers.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException("the broker process did not start: " + ready);
        }
        this.bootstrapServers = ready.substring("ready ".length());
    }

    /**
     * @param classpath the broker's class path: this JVM's, with the broker's own kafka-clients in
     *                  place of the one the plugin ships (see ClasspathFork)
     */
    static BrokerProcess start(String heap, String classpath) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dslf4j.provider=io.kafkabus.cloudstack.demo.ConsoleLogging", "-Dconsole.log.other=OFF",
                "-Dconsole.log.plugin=OFF", "-cp", classpath, BenchBroker.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new BrokerProcess(process);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the broker's process used so far (Linux: from /proc), or -1 where unknown. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Paths.get("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    void createTopic(String topic, int partitions) throws IOException {
        run("create " + topic + " " + partitions);
    }

    /** Stops the broker: its port refuses connections until {@link #startBroker}. */
    void stopBroker() throws IOException {
        run("stop");
    }

    /** Starts the broker again, on the same port; returns once it is ready. */
    void startBroker() throws IOException {
        run("start");
    }

    private synchronized void run(String command) throws IOException {
        commands.println(command);
        String answer = answers.readLine();
        if (!"ok".equals(answer)) {
            throw new IOException("broker process: " + command + ": " + answer);
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        commands.close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
