package io.kvstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes results.md, results.csv and one PNG bar chart per workload family. */
final class Report {

    private Report() {
    }

    static void write(Path out, String header, List<Result> results) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.csv"), csv(results));
        Files.writeString(out.resolve("results.md"), markdown(header, results));
        Set<String> families = new LinkedHashSet<>();
        results.forEach(r -> families.add(r.family()));
        for (String family : families) {
            chart(out.resolve(family + ".png"), family, results.stream().filter(r -> r.family().equals(family)).toList());
        }
    }

    static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder(
                "peer,durability,family,workload,threads,ops,seconds,ops_per_sec,p50_us,p99_us,p999_us,bytes_on_disk,"
                        + "space_amp,write_amp,note,client_cpu_s,ops_per_cpu_sec\n");
        for (Result r : results) {
            sb.append(String.join(",", r.peer(), r.durability().name(), r.family(), r.workload(),
                    Integer.toString(r.threads()), Long.toString(r.ops()), fmt("%.3f", r.seconds()),
                    fmt("%.0f", r.opsPerSecond()), fmt("%.1f", r.p50Micros()), fmt("%.1f", r.p99Micros()),
                    fmt("%.1f", r.p999Micros()), r.bytesOnDisk() < 0 ? "" : Long.toString(r.bytesOnDisk()),
                    fmt("%.2f", r.spaceAmp()), fmt("%.2f", r.writeAmp()), '"' + r.note().replace('"', '\'') + '"',
                    fmt("%.3f", r.cpuSeconds()), fmt("%.0f", r.opsPerCpuSecond())))
                    .append('\n');
        }
        return sb.toString();
    }

    static String markdown(String header, List<Result> results) {
        StringBuilder sb = new StringBuilder(header);
        ratios(sb, results, "kvstore", "rocksdb", "KvStore / RocksDB, ops/s ratio per workload");
        if (results.stream().anyMatch(r -> r.peer().equals("kvstore+listener"))) {
            ratios(sb, results, "kvstore+listener", "kvstore",
                    "Listener overhead: kvstore+listener (no-op OperationListener) / kvstore");
        }
        Map<String, List<Result>> byFamily = new LinkedHashMap<>();
        results.forEach(r -> byFamily.computeIfAbsent(r.durability() + " · " + r.family(), f -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<Result>> e : byFamily.entrySet()) {
            sb.append("\n## ").append(e.getKey()).append("\n\n");
            sb.append("| workload | peer | ops | ops/s | ops/client CPU-s | p50 µs | p99 µs | p99.9 µs | disk MiB | space amp "
                    + "| write amp | note |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            List<Result> rows = new ArrayList<>(e.getValue());
            List<String> labels = new ArrayList<>();
            rows.forEach(r -> {
                if (!labels.contains(r.label())) {
                    labels.add(r.label());
                }
            });
            for (String label : labels) {
                for (Result r : rows) {
                    if (!r.label().equals(label)) {
                        continue;
                    }
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            label, r.peer(), r.ops(), r.opsPerSecond(), fmt("%,.0f", r.opsPerCpuSecond()),
                            fmt("%.1f", r.p50Micros()),
                            fmt("%.1f", r.p99Micros()), fmt("%.1f", r.p999Micros()),
                            r.bytesOnDisk() < 0 ? "" : fmt("%.1f", r.bytesOnDisk() / 1048576.0),
                            fmt("%.2f", r.spaceAmp()), fmt("%.2f", r.writeAmp()), r.note()));
                }
            }
        }
        return sb.toString();
    }

    /** A table of {@code a}'s rows against {@code b}'s of the same label: wall-clock and CPU ratios. */
    private static void ratios(StringBuilder sb, List<Result> results, String a, String b, String title) {
        sb.append("\n## ").append(title).append("\n\n");
        sb.append(String.format(Locale.ROOT, "| durability | workload | %1$s ops/s | %2$s ops/s | %1$s / %2$s "
                + "| %1$s ops/CPU-s | %2$s ops/CPU-s | %1$s / %2$s per CPU-s |%n|---|---|---:|---:|---:|---:|---:|---:|%n",
                a, b));
        for (Result x : results) {
            if (!x.peer().equals(a)) {
                continue;
            }
            results.stream().filter(r -> r.peer().equals(b) && r.durability() == x.durability()
                    && r.label().equals(x.label())).findFirst().ifPresent(y -> sb.append(String.format(Locale.ROOT,
                            "| %s | %s | %,.0f | %,.0f | **%.2f** | %s | %s | %s |%n", x.durability(), x.label(),
                            x.opsPerSecond(), y.opsPerSecond(), x.opsPerSecond() / y.opsPerSecond(),
                            fmt("%,.0f", x.opsPerCpuSecond()), fmt("%,.0f", y.opsPerCpuSecond()),
                            fmt("%.2f", x.opsPerCpuSecond() / y.opsPerCpuSecond()))));
        }
    }

    private static void chart(Path file, String family, List<Result> rows) throws IOException {
        List<String> labels = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (Result r : rows) {
            if (!labels.contains(r.label())) {
                labels.add(r.label());
            }
            if (!peers.contains(r.peer())) {
                peers.add(r.peer());
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 110 * labels.size() * Math.max(1, peers.size()) / 3))
                .height(560).title(family + " workloads: operations per second (log scale, higher is better)")
                .xAxisTitle("workload").yAxisTitle("ops/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setOverlapped(false);
        double smallest = rows.stream().mapToDouble(Result::opsPerSecond).filter(v -> v > 0).min().orElse(10);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        for (String peer : peers) {
            List<Double> values = new ArrayList<>();
            for (String label : labels) {
                double v = rows.stream().filter(r -> r.peer().equals(peer) && r.label().equals(label))
                        .mapToDouble(Result::opsPerSecond).findFirst().orElse(Double.NaN);
                values.add(Double.isNaN(v) || v <= 0 ? null : v);
            }
            if (values.stream().allMatch(v -> v == null)) {
                continue;
            }
            chart.addSeries(peer, labels, values.stream().map(v -> v == null ? Math.pow(10, Math.floor(Math.log10(smallest))) : v).toList());
        }
        javax.imageio.ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", file.toFile());
    }

    private static String fmt(String pattern, double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, pattern, v);
    }
}
