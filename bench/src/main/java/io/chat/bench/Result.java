package io.chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One figure of one measured run, as a line of bench/run's raw results (tab-separated, "-" for a
 * value that does not apply). Every step of the benchmark writes these; {@link Report} reads them.
 *
 * @param figure what was measured, e.g. {@code accept.spread}
 * @param concurrency the concurrency it ran at, or "-"
 * @param value the run's headline figure: a rate, or for a latency figure its p99 in ms
 * @param p50 median latency in ms
 * @param p99 99th percentile latency in ms
 * @param count requests, samples or messages the run counted
 * @param errors how many of them failed: non-202 answers, lost samples, ...
 * @param note what the failures were, or anything else worth showing
 */
record Result(String figure, String concurrency, double value, double p50, double p99, double count, double errors,
        String note) {

    /** A figure on its own: no concurrency, latencies or counts. */
    static Result of(String figure, double value) {
        return new Result(figure, "-", value, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "");
    }

    /** Every result of a raw results file. */
    static List<Result> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(Result::parse).toList();
    }

    static Result parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 8) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        return new Result(fields[0], fields[1], number(fields[2]), number(fields[3]), number(fields[4]),
                number(fields[5]), number(fields[6]), fields[7]);
    }

    String line() {
        return String.join("\t", figure, concurrency, text(value), text(p50), text(p99), text(count), text(errors), note);
    }

    private static double number(String field) {
        return field.equals("-") ? Double.NaN : Double.parseDouble(field);
    }

    private static String text(double number) {
        return Double.isNaN(number) ? "-" : String.format(Locale.ROOT, "%.3f", number);
    }
}
