package dev.smplr.smpl.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON reader and writer, for manifests, checkpoint state and the command line's files:
 * objects (insertion-ordered maps), arrays, strings, numbers, booleans and null. Hand-written rather than the
 * shaded Jackson inside ND4J ({@code org.nd4j.shade.jackson}), which is an implementation detail of ND4J that may
 * move between releases; these documents are small, and their format is ours.
 *
 * <p>Writing: {@link java.util.Map}s (keys by {@code String.valueOf}), {@link java.util.List}s and {@code float[]}
 * as arrays, {@link String}s, {@link Boolean}s, null, and {@link Number}s: a {@link Double} as
 * {@link Double#toString(double)}, a {@link Float} (and each {@code float[]} element) as
 * {@link Float#toString(float)}, the shortest text that reads back as the same float ({@code 0.1f} is written
 * {@code 0.1}, not {@code 0.10000000149011612}), any other number as its {@code long} value. So a float or double
 * is always written with a fraction or exponent and reads back as a {@link Double}; integers read back as
 * {@link Long}. NaN and infinities are rejected.
 */
public final class Json {
    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Writes a value as indented JSON: objects with one key per line, arrays on one line.
     *
     * @param value the value, of the kinds listed on the class. Not modified.
     * @return the JSON text, ending with a newline
     * @throws IllegalArgumentException if the value holds a NaN or infinite number, or an object of another kind
     *                                  (the message names its class)
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    /**
     * Parses one JSON value: objects as insertion-ordered {@code Map<String, Object>}, arrays as
     * {@code List<Object>}, integers (no fraction, no exponent) as {@link Long}, other numbers as {@link Double}.
     *
     * @param text the JSON text
     * @return the value
     * @throws IllegalArgumentException naming the character offset where the text is not JSON
     *                                  ({@code offset 6: expected a value, found ','})
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("end of input");
        }
        return v;
    }

    private static void write(StringBuilder sb, Object value, String indent) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            sb.append(d);
        } else if (value instanceof Float f) {
            number(sb, f);
        } else if (value instanceof float[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ");
                number(sb, a[i]);
            }
            sb.append(']');
        } else if (value instanceof Number n) {
            sb.append(n.longValue());
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            String inner = indent + "  ";
            String sep = "\n";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sep).append(inner);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), inner);
                sep = ",\n";
            }
            sb.append(m.isEmpty() ? "" : "\n" + indent).append('}');
        } else if (value instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                write(sb, l.get(i), indent);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("JSON cannot hold a " + value.getClass().getName());
        }
    }

    /** The shortest decimal that reads back as the same float (Float.toString), not the double's digits. */
    private static void number(StringBuilder sb, float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("JSON has no " + f);
        }
        sb.append(f);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek('}')) {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            m.put(key, value());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek(']')) {
            pos++;
            return l;
        }
        while (true) {
            l.add(value());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("four hex digits");
                    }
                    pos += 4;
                }
                default -> sb.append(e);
            }
        }
        throw error("a closing quote");
    }

    /** Integers without fraction or exponent come back as {@link Long} (seeds need all 64 bits). */
    private Number number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String s = text.substring(start, pos);
        try {
            if (s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) {
                return Long.valueOf(s);
            }
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("a value");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String expected) {
        String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
        return new IllegalArgumentException("offset " + pos + ": expected " + expected + ", found " + found);
    }
}
