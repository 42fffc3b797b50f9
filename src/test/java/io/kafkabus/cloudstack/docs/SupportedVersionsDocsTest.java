package io.kafkabus.cloudstack.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * README.md says what the broker matrix tests: its "Supported versions" tables name exactly the
 * releases of the {@code broker-matrix} profile and exactly BrokerMatrixIT's tests, and the test
 * command at the top of README.md is the one {@code .ci/run} runs.
 */
class SupportedVersionsDocsTest {
    private static final Path PROJECT = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Pattern MATRIX_VERSIONS = Pattern.compile("<id>broker-matrix</id>\\s*<properties>\\s*"
            + "<broker\\.matrix\\.versions>([^<]+)</broker\\.matrix\\.versions>");
    /** A first table cell starting with a release number, or naming a test in backquotes. */
    private static final Pattern VERSION_ROW = Pattern.compile("(?m)^  \\| (\\d+\\.\\d+\\.\\d+)\\b");
    private static final Pattern TEST_ROW = Pattern.compile("(?m)^  \\| `(\\w+)` \\|");

    @Test
    void theSupportedVersionsSectionNamesTheMatrixReleasesAndTests() throws Exception {
        String section = supportedVersions();
        Matcher profile = MATRIX_VERSIONS.matcher(read("pom.xml"));
        assertTrue(profile.find(), "the broker-matrix profile's broker.matrix.versions in pom.xml");
        assertEquals(new TreeSet<>(Arrays.asList(profile.group(1).split(","))), all(VERSION_ROW, section),
                "releases in README.md's Supported versions table");

        Set<String> tests = Arrays.stream(Class.forName("io.kafkabus.cloudstack.jar.BrokerMatrixIT").getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(tests, all(TEST_ROW, section), "BrokerMatrixIT's tests in README.md's Supported versions table");
    }

    @Test
    void readmesTestCommandIsWhatCiRuns() throws IOException {
        List<String> ci = read(".ci/run").lines().filter(line -> line.startsWith("mvn ") && !line.startsWith("mvn -version"))
                .collect(Collectors.toList());
        assertEquals(List.of("mvn -B -ntp verify -Pbroker-matrix"), ci, ".ci/run's build command");
        List<String> readme = read("README.md").lines().filter(line -> line.contains("# the tests: what CI runs (.ci/run)"))
                .map(line -> line.substring(0, line.indexOf('#')).trim()).collect(Collectors.toList());
        assertEquals(ci, readme, "README.md's test command");
    }

    private static String supportedVersions() throws IOException {
        String readme = read("README.md");
        int start = readme.indexOf("\n## Supported versions\n");
        assertTrue(start >= 0, "README.md has a Supported versions section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(String file) throws IOException {
        return Files.readString(PROJECT.resolve(file), StandardCharsets.UTF_8);
    }
}
