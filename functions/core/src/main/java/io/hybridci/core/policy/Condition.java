package io.hybridci.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A step's {@code if}: a small expression language with no way to run code, read files or loop
 * (docs/pipeline.md, "Conditions"). Grammar:
 * <pre>
 * expr       := and ('||' and)*
 * and        := unary ('&amp;&amp;' unary)*
 * unary      := '!' unary | '(' expr ')' | comparison | 'changed' '(' string (',' string)* ')'
 * comparison := ('build.branch' | 'build.tag' | 'build.event') ('==' | '!=' | '=~' | '!~') string
 * string     := '"' chars '"' | "'" chars "'"
 * </pre>
 * {@code =~} matches a {@link Glob}; {@code changed(...)} is true when any changed path matches any glob.
 */
public sealed interface Condition {

    /** At most this many characters: a condition is a line, not a program. */
    int MAX_LENGTH = 1000;

    boolean evaluate(BuildFacts facts);

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with the column and what was expected
     */
    static Condition parse(String text) {
        return new ConditionParser(text).parse();
    }

    /** {@code left || right}. */
    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean evaluate(BuildFacts facts) {
            return left.evaluate(facts) || right.evaluate(facts);
        }
    }

    /** {@code left && right}. */
    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean evaluate(BuildFacts facts) {
            return left.evaluate(facts) && right.evaluate(facts);
        }
    }

    /** {@code !operand}. */
    record Not(Condition operand) implements Condition {
        @Override
        public boolean evaluate(BuildFacts facts) {
            return !operand.evaluate(facts);
        }
    }

    /** The variables a comparison can read. */
    enum Variable {
        BRANCH("build.branch"), TAG("build.tag"), EVENT("build.event");

        final String spelling;

        Variable(String spelling) {
            this.spelling = spelling;
        }

        String valueIn(BuildFacts facts) {
            return switch (this) {
                case BRANCH -> facts.branch();
                case TAG -> facts.tag();
                case EVENT -> facts.event();
            };
        }
    }

    /** The comparison operators; an absent value (a tag build's branch) equals and matches nothing. */
    enum Operator {
        EQUALS("=="), NOT_EQUALS("!="), MATCHES("=~"), NOT_MATCHES("!~");

        final String spelling;

        Operator(String spelling) {
            this.spelling = spelling;
        }
    }

    /** {@code build.branch == "main"}, {@code build.tag =~ "v*"}, … */
    record Comparison(Variable variable, Operator operator, String value) implements Condition {
        public Comparison {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean evaluate(BuildFacts facts) {
            String actual = variable.valueIn(facts);
            return switch (operator) {
                case EQUALS -> value.equals(actual);
                case NOT_EQUALS -> !value.equals(actual);
                case MATCHES -> actual != null && Glob.matches(value, actual);
                case NOT_MATCHES -> actual == null || !Glob.matches(value, actual);
            };
        }
    }

    /** {@code changed("src/**", "pom.xml")}. */
    record Changed(List<String> globs) implements Condition {
        public Changed {
            globs = List.copyOf(globs);
        }

        @Override
        public boolean evaluate(BuildFacts facts) {
            return facts.changedPaths().map(paths -> paths.stream()
                    .anyMatch(path -> globs.stream().anyMatch(glob -> Glob.matches(glob, path))))
                    .orElse(true);
        }
    }

    /** Recursive descent over the grammar above; every error names its column. */
    final class ConditionParser {
        private final String text;
        private int at;

        ConditionParser(String text) {
            this.text = Objects.requireNonNull(text, "text");
        }

        Condition parse() {
            if (text.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("condition longer than " + MAX_LENGTH + " characters");
            }
            Condition condition = or(0);
            skipSpaces();
            if (at < text.length()) {
                throw error("expected && or || or the end");
            }
            return condition;
        }

        private Condition or(int depth) {
            Condition left = and(depth);
            while (consume("||")) {
                left = new Or(left, and(depth));
            }
            return left;
        }

        private Condition and(int depth) {
            Condition left = unary(depth);
            while (consume("&&")) {
                left = new And(left, unary(depth));
            }
            return left;
        }

        private Condition unary(int depth) {
            if (depth > 32) {
                throw error("nested deeper than 32 levels");
            }
            if (consume("!") ) {
                return new Not(unary(depth + 1));
            }
            if (consume("(")) {
                Condition inner = or(depth + 1);
                if (!consume(")")) {
                    throw error("expected )");
                }
                return inner;
            }
            if (consume("changed")) {
                if (!consume("(")) {
                    throw error("expected ( after changed");
                }
                List<String> globs = new ArrayList<>();
                do {
                    globs.add(string());
                } while (consume(","));
                if (!consume(")")) {
                    throw error("expected , or ) in changed(...)");
                }
                return new Changed(globs);
            }
            for (Variable variable : Variable.values()) {
                if (consume(variable.spelling)) {
                    for (Operator operator : Operator.values()) {
                        if (consume(operator.spelling)) {
                            return new Comparison(variable, operator, string());
                        }
                    }
                    throw error("expected ==, !=, =~ or !~ after " + variable.spelling);
                }
            }
            throw error("expected build.branch, build.tag, build.event, changed(...), ! or (");
        }

        private String string() {
            skipSpaces();
            if (at >= text.length() || (text.charAt(at) != '"' && text.charAt(at) != '\'')) {
                throw error("expected a quoted string");
            }
            char quote = text.charAt(at);
            int end = text.indexOf(quote, at + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        private boolean consume(String token) {
            skipSpaces();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("column " + (at + 1) + ": " + expected);
        }
    }
}
