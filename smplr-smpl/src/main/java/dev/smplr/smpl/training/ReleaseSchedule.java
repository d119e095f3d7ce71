package dev.smplr.smpl.training;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The release's learning rates by epoch: {@code lr(e) = lr₀ · σ(m − e/12.5) + floor}, σ the logistic function,
 * e the 0-based epoch, m the midpoint in units of 12.5 epochs and the floor the release's 1e-4 unless given
 * (SPEC 6 and 7):
 * <ul>
 *   <li>{@link #mlp(double)}, m = 4, the DAE, Ψ and Ω: with lr₀ = 0.01 about 0.0099 at e = 0, 0.0051 at e = 50,
 *       0.00028 at e = 100;</li>
 *   <li>{@link #hourglass(double)}, m = 10: with lr₀ = 0.01 about 0.0101 at e = 0, 0.0051 at e = 125.</li>
 * </ul>
 *
 * <p>DL4J's {@code SigmoidSchedule} has the same curve but no floor. DL4J keeps an updater's schedule in the
 * graph's configuration JSON, so this class must survive ND4J's (shaded) Jackson round trip: hence the annotated
 * creator and properties.
 */
public final class ReleaseSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    /** The floor added to the sigmoid. */
    public static final double FLOOR = 1e-4;
    /** Epochs per unit of the sigmoid's argument. */
    public static final double EPOCH_SCALE = 12.5;

    @JsonProperty("lr0")
    private final double lr0;
    @JsonProperty("midpoint")
    private final double midpoint;
    @JsonProperty("floor")
    private final double floor;

    /**
     * @param lr0      the initial rate, positive
     * @param midpoint m, finite: the rate is halfway down at epoch 12.5·m
     * @throws IllegalArgumentException if a value is out of range
     */
    public ReleaseSchedule(double lr0, double midpoint) {
        this(lr0, midpoint, FLOOR);
    }

    /**
     * @param lr0      the initial rate, positive
     * @param midpoint m, finite: the rate is halfway down at epoch 12.5·m
     * @param floor    the rate the curve decays to, positive; {@code null} (a graph saved before the floor was
     *                 configurable) means {@link #FLOOR}
     * @throws IllegalArgumentException if a value is out of range
     */
    @JsonCreator
    public ReleaseSchedule(@JsonProperty("lr0") double lr0, @JsonProperty("midpoint") double midpoint,
            @JsonProperty("floor") Double floor) {
        double f = floor == null ? FLOOR : floor;
        if (!(f > 0 && Double.isFinite(f))) {
            throw new IllegalArgumentException("floor: expected a positive finite learning rate, got " + f);
        }
        if (!(lr0 > 0 && Double.isFinite(lr0))) {
            throw new IllegalArgumentException("lr0: expected a positive finite learning rate, got " + lr0);
        }
        if (!Double.isFinite(midpoint)) {
            throw new IllegalArgumentException("midpoint: expected a finite number, got " + midpoint);
        }
        this.lr0 = lr0;
        this.midpoint = midpoint;
        this.floor = f;
    }

    /** @return the DAE/Ψ/Ω schedule (train_smplr.py), midpoint epoch 50 */
    public static ReleaseSchedule mlp(double lr0) {
        return new ReleaseSchedule(lr0, 4);
    }

    /**
     * @param lr0   the initial rate
     * @param floor the rate the curve decays to
     * @return the DAE/Ψ/Ω schedule, midpoint epoch 50, with another floor (a lower one anneals a long run)
     */
    public static ReleaseSchedule mlp(double lr0, double floor) {
        return new ReleaseSchedule(lr0, 4, floor);
    }

    /** @return the hourglass schedule (train_shn.py), midpoint epoch 125 */
    public static ReleaseSchedule hourglass(double lr0) {
        return new ReleaseSchedule(lr0, 10);
    }

    /**
     * @param lr0   the initial rate
     * @param floor the rate the curve decays to
     * @return the hourglass schedule, midpoint epoch 125, with another floor (a lower one anneals a fine-tuning
     *         run further than the release's 1e-4)
     */
    public static ReleaseSchedule hourglass(double lr0, double floor) {
        return new ReleaseSchedule(lr0, 10, floor);
    }

    /** @return the initial rate */
    public double lr0() {
        return lr0;
    }

    /** @return the floor the rate decays to */
    public double floor() {
        return floor;
    }

    /** @return the midpoint m */
    public double midpoint() {
        return midpoint;
    }

    /** Depends on the epoch only; the iteration is ignored. */
    @Override
    public double valueAt(int iteration, int epoch) {
        return lr0 / (1 + Math.exp(epoch / EPOCH_SCALE - midpoint)) + floor;
    }

    @Override
    public ISchedule clone() {
        return new ReleaseSchedule(lr0, midpoint, floor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseSchedule s && Double.compare(s.lr0, lr0) == 0
                && Double.compare(s.midpoint, midpoint) == 0 && Double.compare(s.floor, floor) == 0;
    }

    @Override
    public int hashCode() {
        return (31 * Double.hashCode(lr0) + Double.hashCode(midpoint)) * 31 + Double.hashCode(floor);
    }

    @Override
    public String toString() {
        return "ReleaseSchedule[lr0=" + lr0 + ", midpoint=" + midpoint + ", floor=" + floor + "]";
    }
}
