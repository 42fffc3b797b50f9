package io.kafkabus.cloudstack.routing;

import java.util.regex.Pattern;

/**
 * A pattern of {@code filter.*} and {@code type.topics}: {@code *} any characters, {@code ?} one,
 * ignoring case. Exact values and prefixes ({@code VM.*}) skip the regular expression: filters run
 * on CloudStack's threads for every event.
 */
public final class Glob {
    private final String text;
    private final String prefix;
    private final Pattern pattern;

    public Glob(String text) {
        this.text = text;
        int firstWildcard = firstWildcard(text);
        if (firstWildcard < 0) {
            prefix = null;
            pattern = null;
        } else if (firstWildcard == text.length() - 1 && text.charAt(firstWildcard) == '*') {
            prefix = text.substring(0, firstWildcard);
            pattern = null;
        } else {
            prefix = null;
            pattern = Pattern.compile(regex(text), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    /** A missing value matches only a pattern that matches anything: {@code *}. */
    public boolean matches(String value) {
        if (value == null) {
            return "*".equals(text);
        }
        if (pattern != null) {
            return pattern.matcher(value).matches();
        }
        if (prefix != null) {
            return value.regionMatches(true, 0, prefix, 0, prefix.length());
        }
        return value.equalsIgnoreCase(text);
    }

    private static int firstWildcard(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '*' || text.charAt(i) == '?') {
                return i;
            }
        }
        return -1;
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
