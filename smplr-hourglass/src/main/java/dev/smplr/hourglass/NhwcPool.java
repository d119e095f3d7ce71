package dev.smplr.hourglass;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Free {@link NhwcTensor}s keyed by shape, so that an engine's repeated passes at one batch size allocate nothing
 * after the first. A tensor taken holds whatever it held when given back (a zero border stays zero: nothing writes
 * it). Not thread-safe.
 */
final class NhwcPool {
    private final Map<String, ArrayDeque<NhwcTensor>> free = new HashMap<>();

    /** A free tensor of this shape, or a new zeroed one. */
    NhwcTensor take(int n, int h, int w, int c, int pad, boolean zeroBorder) {
        ArrayDeque<NhwcTensor> q = free.get(key(n, h, w, c, pad, zeroBorder));
        NhwcTensor t = q == null ? null : q.pollLast();
        return t != null ? t : NhwcTensor.allocate(n, h, w, c, pad, zeroBorder);
    }

    /** Returns a tensor for a later {@link #take}; the caller no longer uses it. */
    void give(NhwcTensor t) {
        free.computeIfAbsent(key(t.n, t.h, t.w, t.c, t.pad, t.zeroBorder), k -> new ArrayDeque<>()).addLast(t);
    }

    /** Forgets every free tensor (they are reallocated on demand). */
    void clear() {
        free.clear();
    }

    private static String key(int n, int h, int w, int c, int pad, boolean zeroBorder) {
        return n + "x" + h + "x" + w + "x" + c + "p" + pad + (zeroBorder ? "z" : "");
    }
}
