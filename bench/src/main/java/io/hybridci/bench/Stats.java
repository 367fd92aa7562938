package io.hybridci.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a sample, in milliseconds (nearest rank, the definition the yardstick used). */
record Stats(int samples, double p50, double p95, double p99, double max, double mean) {

    static Stats of(List<Double> millis) {
        if (millis.isEmpty()) return new Stats(0, 0, 0, 0, 0, 0);
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stats(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), round(sorted[sorted.length - 1]),
                round(Arrays.stream(sorted).average().orElse(0)));
    }

    private static double rank(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
