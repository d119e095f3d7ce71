package dev.smplr.smpl.training;

/**
 * The seed given to DL4J's weight initialisation for a network configuration's seed.
 *
 * <p>DL4J 1.0.0-M2.1 leaves the initialisation unseeded when a configuration's seed is 0: two graphs built from
 * one configuration then start from different weights (measured: every convolution's weights differed), so a
 * training run could not be repeated. Every preset of this project has seed 0, so 0 is passed on as another
 * constant; any other seed is passed on as it is. Seeds 0 and {@link #ZERO_STANDS_FOR} hence give the same
 * initialisation.
 */
public final class NetworkSeeds {
    /** What a seed of 0 is given to DL4J as: the 64-bit golden ratio, a common seed-mixing constant. */
    public static final long ZERO_STANDS_FOR = 0x9E3779B97F4A7C15L;

    private NetworkSeeds() {
    }

    /**
     * The DL4J seed of a configuration seed.
     *
     * @param seed the configuration's seed, any value
     * @return {@code seed}, or {@link #ZERO_STANDS_FOR} for 0: never 0
     */
    public static long dl4j(long seed) {
        return seed == 0 ? ZERO_STANDS_FOR : seed;
    }
}
