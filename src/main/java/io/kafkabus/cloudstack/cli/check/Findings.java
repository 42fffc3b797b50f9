package io.kafkabus.cloudstack.cli.check;

import java.util.function.Consumer;

/**
 * Where the checks report: each finding is printed as it is made (a slow broker never hides the
 * lines before it), counted, and summed up in the last line.
 */
final class Findings {
    private final Consumer<String> out;
    private final Consumer<String> progress;
    private int problems;
    private int warnings;

    /**
     * @param out      receives each finding's line
     * @param progress receives what is done next, before a step that may take over a second
     */
    Findings(Consumer<String> out, Consumer<String> progress) {
        this.out = out;
        this.progress = progress;
    }

    void add(Finding finding) {
        if (finding.level == Finding.Level.PROBLEM) {
            problems++;
        } else if (finding.level == Finding.Level.WARN) {
            warnings++;
        }
        out.accept(finding.toString());
    }

    void progress(String step) {
        progress.accept(step);
    }

    boolean problemFound() {
        return problems > 0;
    }

    /** The last line: the counts, and the answer to "will this work after the restart?". */
    String summary() {
        String counts = problems + " problem(s), " + warnings + " warning(s)";
        return problems > 0
                ? "SUMMARY " + counts + ": the bus would not work as configured; fix the PROBLEM lines and run check again"
                : "SUMMARY " + counts + ": nothing found that would stop the bus" + (warnings > 0 ? " (see the WARN lines)" : "");
    }
}
