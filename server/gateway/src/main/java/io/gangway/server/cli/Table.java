package io.gangway.server.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code Table} prints rows under a header, each column as wide as its widest cell. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... header) {
    columns = header.length;
    rows.add(header);
  }

  /** Adds a row; {@code null} cells print as {@code -}. */
  Table row(Object... cells) {
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      Object c = i < cells.length ? cells[i] : null;
      r[i] = c == null || c.toString().isEmpty() ? "-" : c.toString();
    }
    rows.add(r);
    return this;
  }

  /** Returns the table, lines ending in a newline, without trailing spaces. */
  @Override
  public String toString() {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i < columns - 1) {
          char[] pad = new char[width[i] - r[i].length() + 2];
          Arrays.fill(pad, ' ');
          line.append(pad);
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
