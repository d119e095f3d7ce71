package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VoxelGridTest {
    private static final VoxelGrid GRID = new VoxelGrid(16, 8, 45);

    @Test
    void toVoxels_knownPoints_specFormula() {
        float[] v = new float[6];
        GRID.toVoxels(new float[] {0, 0, 0, 1.25f, -1.25f, 0.625f}, v);
        assertThat(v).containsExactly(8f, 8f, 4f, 16f, 0f, 6f);
    }

    @Test
    void index_layout_channelIsBinTimesVolumesPlusPoint() {
        assertThat(GRID.index(3, 2, 5, 7)).isEqualTo(((2 * 45 + 3) * 16 + 5) * 16 + 7);
        assertThat(GRID.values()).isEqualTo(8 * 45 * 256);
    }

    @Test
    void softArgmax_logOfTargets_roundTripWithinSmallFractionOfVoxel() {
        Random rnd = new Random(7);
        float[] points = new float[123];
        for (int i = 0; i < points.length; i++) {
            // Keep the Gaussians ≥ 3 voxels away from the cube's faces (depth: 8 bins of 0.3125 m).
            points[i] = (float) (rnd.nextDouble() * 1.0 - 0.5) * (i % 3 == 2 ? 0.6f : 1.4f);
        }
        float[] targets = new float[GRID.values()];
        VoxelTargets.fill(GRID, points, targets, 0);
        float[] logits = new float[targets.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(Math.max(targets[i], 1e-38));
        }
        float[] decoded = new float[123];
        GRID.softArgmax(logits, 0, decoded, 0);
        for (int i = 0; i < 123; i++) {
            double voxel = VoxelGrid.CUBE_METRES / (i % 3 == 2 ? 8 : 16);
            assertThat(decoded[i]).as("value %d", i).isCloseTo(points[i], within((float) (0.02 * voxel)));
        }
    }

    @Test
    void softArgmax_batch_sameAsOneByOne() {
        float[] logits = new float[2 * GRID.values()];
        Random rnd = new Random(3);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian() * 3;
        }
        float[] batch = GRID.softArgmax(logits, 2);
        float[] second = new float[123];
        GRID.softArgmax(logits, GRID.values(), second, 0);
        assertThat(java.util.Arrays.copyOfRange(batch, 123, 246)).containsExactly(second);
        assertThatThrownBy(() -> GRID.softArgmax(new float[5], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logits");
    }

    @Test
    void softArgmax_uniformLogits_centreOfCells() {
        float[] decoded = new float[123];
        GRID.softArgmax(new float[GRID.values()], 0, decoded, 0);
        // Mean grid coordinate (size − 1)/2, i.e. half a cell below the cube's centre on each axis.
        assertThat(decoded[0]).isCloseTo((7.5f / 16 - 0.5f) * 2.5f, within(1e-5f));
        assertThat(decoded[2]).isCloseTo((3.5f / 8 - 0.5f) * 2.5f, within(1e-5f));
    }
}
