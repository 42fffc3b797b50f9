package io.kafkabus.cloudstack.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every line the bus logs at WARN or ERROR has a row in README.md's troubleshooting table: the
 * constant text of each {@code warn(...)}, {@code error(...)} and {@code dropped(...)} call in the
 * main sources outside the command line (which prints, and explains, what it finds), and each
 * sentence {@code Diagnosis} gives a cause, must appear in the table.
 */
class TroubleshootingDocsTest {
    private static final Pattern CALL = Pattern.compile("\\b(?:warn|error|dropped)\\(");
    private static final Pattern SENTENCE = Pattern.compile("static final String [A-Z_]+ = ((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+);");
    /** Text shorter than this between placeholders is glue (": ", " of "), not a message. */
    private static final int SHORTEST_MESSAGE_TEXT = 12;
    private static final String BUS_PREFIX = "Kafka event bus";

    @Test
    void everyWarningAndErrorTheBusLogsHasATroubleshootingRow() throws IOException {
        Path project = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
        String table = normalized(troubleshootingTable(Files.readString(project.resolve("README.md"), StandardCharsets.UTF_8)));
        List<String> messages = new ArrayList<>();
        Path commandLine = project.resolve("src/main/java/io/kafkabus/cloudstack/cli");
        try (Stream<Path> sources = Files.walk(project.resolve("src/main/java"))) {
            // The command line (package cli) prints its findings and errors for the operator at the terminal; it logs nothing.
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && !p.startsWith(commandLine))
                    .collect(Collectors.toList())) {
                String code = Files.readString(source, StandardCharsets.UTF_8);
                messages.addAll(loggedTexts(code));
                if (source.getFileName().toString().equals("Diagnosis.java")) {
                    messages.addAll(sentences(code));
                }
            }
        }
        assertTrue(messages.size() > 30, "the scan found the log calls: " + messages);
        List<String> missing = messages.stream().distinct().filter(text -> !table.contains(normalized(text)))
                .collect(Collectors.toList());
        assertEquals(List.of(), missing, "texts logged at WARN/ERROR without a row in README.md's Troubleshooting table");
    }

    /** The constant pieces of the message of each warn/error/dropped call in {@code code}. */
    static List<String> loggedTexts(String code) {
        List<String> texts = new ArrayList<>();
        Matcher call = CALL.matcher(code);
        while (call.find()) {
            texts.addAll(pieces(joinedLiterals(arguments(code, call.end()))));
        }
        return texts;
    }

    private static List<String> sentences(String code) {
        List<String> texts = new ArrayList<>();
        Matcher constant = SENTENCE.matcher(code);
        while (constant.find()) {
            texts.addAll(pieces(joinedLiterals(constant.group(1))));
        }
        return texts;
    }

    /** The text of a call's arguments, from just after its opening parenthesis to the matching one. */
    private static String arguments(String code, int start) {
        int depth = 1;
        boolean inString = false;
        for (int i = start; i < code.length(); i++) {
            char c = code.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(start, i);
            }
        }
        return code.substring(start);
    }

    /** String literals, those joined only by {@code +} merged into one; a placeholder splits like an expression. */
    private static List<String> joinedLiterals(String arguments) {
        List<String> joined = new ArrayList<>();
        Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(arguments);
        int previousEnd = -1;
        while (literal.find()) {
            String text = literal.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            boolean continues = previousEnd >= 0 && arguments.substring(previousEnd, literal.start()).trim().equals("+");
            if (continues) {
                joined.set(joined.size() - 1, joined.get(joined.size() - 1) + text);
            } else {
                joined.add(text);
            }
            previousEnd = literal.end();
        }
        return joined;
    }

    private static List<String> pieces(List<String> literals) {
        List<String> pieces = new ArrayList<>();
        for (String literal : literals) {
            for (String piece : literal.split("\\{}")) {
                String text = piece.replaceAll("^[\\s:;,.(]+|[\\s:;,(]+$", "");
                if (text.length() >= SHORTEST_MESSAGE_TEXT && !text.equals(BUS_PREFIX)) {
                    pieces.add(text);
                }
            }
        }
        return pieces;
    }

    private static String troubleshootingTable(String readme) {
        int start = readme.indexOf("\n## Troubleshooting");
        int end = readme.indexOf("\n## ", start + 1);
        assertTrue(start >= 0, "README.md has a Troubleshooting section");
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String normalized(String text) {
        return text.replace("`", "").replaceAll("\\s+", " ");
    }
}
