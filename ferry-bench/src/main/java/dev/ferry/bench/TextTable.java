package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;

/** Rows of cells printed as an aligned text table or as a markdown table. */
final class TextTable {
  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = header.clone();
  }

  /** Appends a row with one cell per header column. */
  void add(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
    }
    rows.add(cells.clone());
  }

  /** The table with aligned columns: the first left-aligned, the others right-aligned. */
  String text() {
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] row : rows) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendAligned(out, header, width);
    int total = (header.length - 1) * 2;
    for (int w : width) {
      total += w;
    }
    out.append("-".repeat(total)).append(System.lineSeparator());
    for (String[] row : rows) {
      appendAligned(out, row, width);
    }
    return out.toString();
  }

  private static void appendAligned(StringBuilder out, String[] row, int[] width) {
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        out.append("  ");
      }
      String pad = " ".repeat(width[c] - row[c].length());
      out.append(c == 0 ? row[c] + pad : pad + row[c]);
    }
    out.append(System.lineSeparator());
  }

  /** The table in markdown, all columns but the first right-aligned. */
  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(String.join(" | ", header)).append(" |").append(System.lineSeparator());
    out.append("|---").append("|---:".repeat(header.length - 1)).append("|");
    out.append(System.lineSeparator());
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |").append(System.lineSeparator());
    }
    return out.toString();
  }
}
