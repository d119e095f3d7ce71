package dev.smplr.io;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A Python tuple as the unpickler returns it: an unmodifiable {@code List<Object>} that may hold {@code null}
 * (Python {@code None}). Only the unpickler writes its slots, while it replaces internal placeholders by their
 * final values.
 */
final class PickleTuple extends AbstractList<Object> implements RandomAccess {

    static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

    private final Object[] items;

    /** @param items the elements. Kept. */
    PickleTuple(Object[] items) {
        this.items = items;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** Replaces slot {@code index}; for the unpickler's final pass only. */
    void setSlot(int index, Object value) {
        items[index] = value;
    }

    /** @return Python's spelling, e.g. {@code (1,)} or {@code (6890, 3)} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(items[i] == this ? "(this tuple)" : items[i]);
        }
        return sb.append(items.length == 1 ? ",)" : ")").toString();
    }
}
