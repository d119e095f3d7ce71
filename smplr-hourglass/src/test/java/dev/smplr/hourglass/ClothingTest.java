package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Gender;
import dev.smplr.smpl.SmplModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClothingTest {
    private static final SmplModel BODY = SmplModel.demo(Gender.NEUTRAL);

    @Test
    void layout_regionsSitWhereTheBodyPartsAre() {
        Clothing.Layout layout = Clothing.layout(BODY);
        float[] joints = BODY.restJoints(new float[0]);
        float[] v = layout.rest;
        assertThat(layout.vertexCount).isEqualTo(BODY.vertexCount());
        int[] counts = new int[10];
        for (int i = 0; i < layout.vertexCount; i++) {
            counts[layout.region[i]]++;
            float y = v[3 * i + 1];
            float x = v[3 * i];
            switch (layout.region[i]) {
                // Head above the neck joint; feet below the knees; hands beyond the elbows (T-pose: along ±X).
                case Clothing.HEAD -> assertThat(y).isGreaterThan(joints[3 * 12 + 1]);
                case Clothing.FOOT -> assertThat(y).isLessThan(joints[3 * 4 + 1]);
                case Clothing.HAND -> assertThat(Math.abs(x)).isGreaterThan(Math.abs(joints[3 * 18]));
                default -> {
                }
            }
            assertThat(layout.along[i]).isBetween(0f, 1f);
        }
        for (int r = 0; r < counts.length; r++) {
            assertThat(counts[r]).as("region %d", r).isGreaterThan(20);
        }
    }

    @Test
    void colors_sameGenerator_sameOutfit_differentSeeds_differ() {
        Clothing.Layout layout = Clothing.layout(BODY);
        int[] a = Clothing.colors(layout, new SplittableRandom(4));
        int[] b = Clothing.colors(layout, new SplittableRandom(4));
        int[] c = Clothing.colors(layout, new SplittableRandom(5));
        assertThat(a).hasSize(BODY.vertexCount()).isEqualTo(b).isNotEqualTo(c);
        for (int rgb : a) {
            assertThat(rgb & ~0xFFFFFF).isZero();
        }
    }

    @Test
    void colors_frontOfTheChestDiffersFromItsBack_inMostOutfits() {
        // Seen from behind, a mirrored pose has the front view's silhouette with left and right swapped; only
        // front-only features (a print, a lower neckline) tell the two apart. Compare the mean colour of the
        // middle of the chest, front against back, over many outfits.
        Clothing.Layout layout = Clothing.layout(BODY);
        float[] v = layout.rest;
        int outfits = 200;
        int differing = 0;
        for (int seed = 0; seed < outfits; seed++) {
            int[] rgb = Clothing.colors(layout, new SplittableRandom(seed));
            double[] front = new double[4];
            double[] back = new double[4];
            for (int i = 0; i < layout.vertexCount; i++) {
                float x = v[3 * i];
                float y = v[3 * i + 1] - layout.chestY;
                if (layout.region[i] != Clothing.TORSO || Math.abs(x) > 0.03f || Math.abs(y - 0.01f) > 0.01f) {
                    continue;
                }
                double[] side = v[3 * i + 2] > layout.chestZ ? front : back;
                side[0] += (rgb[i] >>> 16) & 0xFF;
                side[1] += (rgb[i] >>> 8) & 0xFF;
                side[2] += rgb[i] & 0xFF;
                side[3]++;
            }
            assertThat(front[3]).as("front chest vertices").isPositive();
            assertThat(back[3]).as("back chest vertices").isPositive();
            double l1 = 0;
            for (int k = 0; k < 3; k++) {
                l1 += Math.abs(front[k] / front[3] - back[k] / back[3]);
            }
            if (l1 > 100) {
                differing++;
            }
        }
        // Prints come with 70 % of outfits and differ from the shirt by ≥ 150; patterned shirts rarely do.
        assertThat(differing).isGreaterThan(outfits / 2);
    }

    @Test
    void noise_inUnitRange_smooth() {
        float prev = Clothing.Noise.value(0, 0.3f, 0.7f, 9);
        for (int i = 1; i <= 1000; i++) {
            float x = i * 0.01f;
            float n = Clothing.Noise.value(x, 0.3f, 0.7f, 9);
            assertThat(n).isBetween(0f, 1f);
            // Smoothstep-interpolated lattice values: a step of 0.01 moves the value by at most 1.5·0.01.
            assertThat(Math.abs(n - prev)).isLessThanOrEqualTo(0.016f);
            prev = n;
        }
    }
}
