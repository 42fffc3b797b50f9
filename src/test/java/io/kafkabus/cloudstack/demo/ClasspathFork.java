package io.kafkabus.cloudstack.demo;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a main class in a fresh JVM on Maven's test class path with one jar swapped for another:
 * what surefire's {@code classpathDependencyExcludes} + {@code additionalClasspathElements} do for
 * the tests, for the demo and the benchmark (exec:exec can pass the class path but cannot leave a
 * dependency out of it). The in-process broker needs its own kafka-clients (4.3.1) where the plugin
 * compiles against the one it ships (4.4.0); two versions on one class path would mix.
 *
 * <pre>
 * java [jvm options] -cp target/test-classes io.kafkabus.cloudstack.demo.ClasspathFork \
 *      --exclude kafka-clients-4.4.0.jar --add target/broker-client/kafka-clients-4.3.1.jar \
 *      --classpath CLASSPATH MainClass [arguments]
 * </pre>
 *
 * The child gets this JVM's options (heap, system properties) and its standard streams; this JVM
 * exits with the child's exit code.
 */
public final class ClasspathFork {
    private ClasspathFork() {
    }

    public static void main(String[] args) throws Exception {
        List<String> exclude = new ArrayList<>();
        List<String> add = new ArrayList<>();
        String classpath = null;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--exclude": exclude.add(args[i + 1]); break;
                case "--add": add.add(args[i + 1]); break;
                case "--classpath": classpath = args[i + 1]; break;
                default: usage("unknown option " + args[i]);
            }
        }
        if (classpath == null || i >= args.length) {
            usage("--classpath and a main class are required");
        }
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Djava.class.path=")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(swap(classpath, exclude, add));
        command.addAll(Arrays.asList(args).subList(i, args.length));

        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread killer = new Thread(child::destroy, "classpath-fork-stop-child");
        Runtime.getRuntime().addShutdownHook(killer);
        int exit = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(killer);
        System.exit(exit);
    }

    /** {@code classpath} less the entries whose file name is in {@code exclude}, plus {@code add}. */
    public static String swap(String classpath, List<String> exclude, List<String> add) {
        List<String> kept = new ArrayList<>();
        List<String> excludedFound = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            String fileName = Paths.get(entry).getFileName().toString();
            if (exclude.contains(fileName)) {
                excludedFound.add(fileName);
            } else {
                kept.add(entry);
            }
        }
        for (String name : exclude) {
            if (!excludedFound.contains(name)) {
                usage(name + " is not on the class path: check --exclude against the pom's versions");
            }
        }
        for (String extra : add) {
            Path path = Paths.get(extra);
            if (!Files.exists(path)) {
                usage(extra + " does not exist: run the build up to generate-test-resources first "
                        + "(e.g. mvn test-compile)");
            }
            kept.add(path.toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, kept);
    }

    private static void usage(String problem) {
        System.err.println("ClasspathFork: " + problem);
        System.err.println("usage: ClasspathFork [--exclude JAR_FILE_NAME]... [--add PATH]... --classpath CLASSPATH MAIN_CLASS [ARGS]");
        System.exit(2);
    }
}
