package dev.smplr.dae;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The release's learning rate by epoch (SPEC 7): lr(e) = lr₀ · σ(4 − e/12.5) + 1e-4, σ the logistic function;
 * with lr₀ = 0.01 about 0.0099 at e = 0, 0.0051 at e = 50, 0.00028 at e = 100.
 *
 * <p>DL4J's {@code SigmoidSchedule} has the same curve but no floor. DL4J keeps the updater's schedule in the
 * graph's configuration JSON, so this class must survive its (shaded) Jackson round trip: hence the annotated
 * creator and properties.
 */
final class ReleaseLrSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    /** The floor added to the sigmoid. */
    static final double FLOOR = 1e-4;

    @JsonProperty("lr0")
    private final double lr0;

    @JsonCreator
    ReleaseLrSchedule(@JsonProperty("lr0") double lr0) {
        if (!(lr0 > 0 && Double.isFinite(lr0))) {
            throw new IllegalArgumentException("lr0: expected a positive finite learning rate, got " + lr0);
        }
        this.lr0 = lr0;
    }

    double lr0() {
        return lr0;
    }

    /** Depends on the epoch only; the iteration is ignored. */
    @Override
    public double valueAt(int iteration, int epoch) {
        return lr0 / (1 + Math.exp(epoch / 12.5 - 4)) + FLOOR;
    }

    @Override
    public ISchedule clone() {
        return new ReleaseLrSchedule(lr0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseLrSchedule s && Double.compare(s.lr0, lr0) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lr0);
    }

    @Override
    public String toString() {
        return "ReleaseLrSchedule[lr0=" + lr0 + "]";
    }
}
