package dev.smplr.smpl.training;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed {@code manifest.json} (or one of its objects) with typed access whose errors name the source and the
 * dotted key, e.g. {@code weights/manifest.json: key config.width1 expected an integer, found "8"}.
 *
 * @param source where it was read from (a path or a classpath resource), for messages
 * @param prefix the dotted key prefix of this object, empty at the root
 * @param values the keys and values (unmodifiable)
 */
public record Manifest(String source, String prefix, Map<String, Object> values) {

    /** Wraps a root object. */
    public Manifest {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static Manifest root(String source, Map<String, Object> values) {
        return new Manifest(source, "", values);
    }

    /** @return whether the key is present (even with a null value) */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** @return the raw value (String, Double, Long, Boolean, List, Map or null) */
    public Object get(String key) {
        return values.get(key);
    }

    /** @throws IOException if missing or not a string */
    public String string(String key) throws IOException {
        Object v = values.get(key);
        if (!(v instanceof String s)) {
            throw error(key, "a string", v);
        }
        return s;
    }

    /** @throws IOException if missing or not a number */
    public double number(String key) throws IOException {
        Object v = values.get(key);
        if (!(v instanceof Number n)) {
            throw error(key, "a number", v);
        }
        return n.doubleValue();
    }

    /** @throws IOException if missing or not an integer */
    public long integer(String key) throws IOException {
        Object v = values.get(key);
        if (!(v instanceof Long l)) {
            throw error(key, "an integer", v);
        }
        return l;
    }

    /** @throws IOException if missing, not an integer or outside [min, max] */
    public int integer(String key, int min, int max) throws IOException {
        long v = integer(key);
        if (v < min || v > max) {
            throw new IOException(source + ": key " + prefix + key + " expected an integer in [" + min + ", " + max
                    + "], found " + v);
        }
        return (int) v;
    }

    /** @throws IOException if missing or not true/false */
    public boolean bool(String key) throws IOException {
        Object v = values.get(key);
        if (!(v instanceof Boolean b)) {
            throw error(key, "true or false", v);
        }
        return b;
    }

    /** @throws IOException if missing or not an object */
    @SuppressWarnings("unchecked")
    public Manifest object(String key) throws IOException {
        Object v = values.get(key);
        if (!(v instanceof Map)) {
            throw error(key, "an object", v);
        }
        return new Manifest(source, prefix + key + ".", (Map<String, Object>) v);
    }

    /**
     * @return the object at the key, or an empty one when the key is absent (for optional sections, e.g. the
     *         training record of weights made elsewhere)
     * @throws IOException if present and not an object
     */
    public Manifest objectOrEmpty(String key) throws IOException {
        return has(key) ? object(key) : new Manifest(source, prefix + key + ".", Map.of());
    }

    /** @return the numbers of an object such as {@code metrics}, by key; an IOException if one is not a number */
    public Map<String, Double> numbers(String key) throws IOException {
        Manifest m = object(key);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : m.values.keySet()) {
            out.put(k, m.number(k));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return an IOException naming the source and key */
    public IOException error(String key, String expected, Object found) {
        String shown = found instanceof String s ? "\"" + s + "\"" : String.valueOf(found);
        return new IOException(source + ": key " + prefix + key + " expected " + expected + ", found "
                + (found == null && !values.containsKey(key) ? "none" : shown));
    }
}
