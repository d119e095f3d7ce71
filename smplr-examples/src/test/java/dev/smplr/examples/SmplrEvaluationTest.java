package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmplrEvaluationTest {

    @Test
    void markdown_rows_formatsNumbersAndMissingVariants() {
        List<SmplrEvaluation.Row> rows = List.of(
                new SmplrEvaluation.Row("GT points → SMPLR", true, "", 0, 41.25, 38.04, 30.5, 52.96),
                SmplrEvaluation.Row.missing("L2 training", "no L2-trained regressor given (--regressor-l2)"));
        String md = SmplrEvaluation.markdown(rows, 1000, 7);
        assertThat(md).contains("1,000 held-out", "seed 7",
                "| variant | 41 input points | MPJPE (24 joints) | MPJPE (All, 16) | PA-MPJPE | per-vertex |",
                "| GT points → SMPLR | 0.0 | 41.3 | 38.0 | 30.5 | 53.0 |",
                "| L2 training | not available | | | | |",
                "Not available: no L2-trained regressor given (--regressor-l2)");
    }

    @Test
    void run_missingWeights_printsNotAvailableRows() {
        SmplrEvaluation.Result r = SmplrEvaluation.run(new SmplrEvaluation.Options(3, 1, Path.of("no/such/dir"),
                null, null, Path.of("no/such/dae"), null));
        assertThat(r.rows()).hasSize(8).allSatisfy(row -> assertThat(row.available()).isFalse());
        assertThat(r.markdown()).contains("not available", "no/such");
        assertThat(r.samples()).isEqualTo(3);
    }

    @Test
    void options_badSamples_throws() {
        assertThatThrownBy(() -> new SmplrEvaluation.Options(0, 1, null, null, null, null, null))
                .hasMessageContaining("samples").hasMessageContaining("0");
        assertThatThrownBy(() -> SmplrEvaluation.main(new String[] {"--bogus"})).hasMessageContaining("--bogus");
    }
}
