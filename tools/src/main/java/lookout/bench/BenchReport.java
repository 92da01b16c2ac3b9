package lookout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The figures of one bench run, printed as a table for people and as JSON for tools. */
public final class BenchReport {
    private final MachineInfo machine;
    private final List<Figure> figures = new ArrayList<>();
    private final List<Budget> budgets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public BenchReport(MachineInfo machine) {
        this.machine = machine;
    }

    public synchronized void add(Figure figure) {
        figures.add(figure);
    }

    public synchronized void addAll(List<Figure> list) {
        figures.addAll(list);
    }

    public synchronized void add(Budget budget) {
        budgets.add(budget);
    }

    /** A remark every reader must see, such as a fallback to other boundaries. */
    public synchronized void note(String text) {
        notes.add(text);
    }

    public synchronized List<Budget> budgets() {
        return List.copyOf(budgets);
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** The figure of that name, or a missing one when this run did not produce it. */
    public synchronized Figure figure(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElse(Figure.missing(name, "", "not measured in this run"));
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public MachineInfo machine() {
        return machine;
    }

    /** Writes the report as {@code report.json} and {@code report.txt} into {@code dir}, replacing earlier ones. */
    public void writeTo(Path dir) throws IOException {
        Files.writeString(dir.resolve("report.json"), json());
        try (PrintStream file = new PrintStream(dir.resolve("report.txt").toFile(), "UTF-8")) {
            printTable(file);
        }
    }

    public void printTable(PrintStream out) {
        out.printf("machine: %d cores, %s, heap %s (max %d MiB), GC %s%n", machine.cores(), machine.jvm(),
                machine.heapFlags(), machine.maxHeapMiB(), machine.gc());
        int width = figures().stream().mapToInt(f -> f.name().length()).max().orElse(10);
        String format = "%-" + width + "s  %14s  %-9s  %11s  %s%n";
        out.printf(format, "figure", "value", "unit", "events", "what");
        for (Figure f : figures()) {
            out.printf(format, f.name(), f.formattedValue(), f.unit(), f.events() > 0 ? String.format("%,d", f.events()) : "-",
                    f.note());
        }
        if (!budgets().isEmpty()) {
            out.println();
            int w = budgets().stream().mapToInt(b -> b.name().length()).max().orElse(10);
            String bf = "%-" + w + "s  %-34s  %-22s  %s%n";
            out.printf(bf, "budget", "target", "measured", "verdict");
            for (Budget b : budgets()) {
                out.printf(bf, b.name(), b.target(), b.measured(), b.verdict());
            }
        }
        for (String n : notes()) {
            out.println("note: " + n);
        }
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores());
        m.put("jvm", machine.jvm());
        m.put("heap_flags", machine.heapFlags());
        m.put("max_heap_mib", machine.maxHeapMiB());
        m.put("gc", machine.gc());
        ArrayNode list = root.putArray("figures");
        for (Figure f : figures()) {
            ObjectNode n = list.addObject();
            n.put("name", f.name());
            if (f.measured()) {
                n.put("value", f.value());
            } else {
                n.putNull("value");
            }
            n.put("unit", f.unit());
            n.put("events", f.events());
            n.put("cores", machine.cores());
            n.put("jvm", machine.jvm());
            n.put("heap", machine.heapFlags() + " (max " + machine.maxHeapMiB() + " MiB)");
            n.put("note", f.note());
        }
        ArrayNode budgetList = root.putArray("budgets");
        for (Budget b : budgets()) {
            ObjectNode n = budgetList.addObject();
            n.put("name", b.name());
            n.put("target", b.target());
            n.put("measured", b.measured());
            n.put("verdict", b.verdict());
        }
        ArrayNode noteList = root.putArray("notes");
        notes().forEach(noteList::add);
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }
}
