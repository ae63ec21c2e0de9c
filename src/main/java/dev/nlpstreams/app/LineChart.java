package dev.nlpstreams.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * A small PNG line chart for reports (headless AWT, no dependency): one panel per series, sharing
 * the x axis, each with its own y range, so series of different units sit on one image.
 */
final class LineChart {

  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 220;
  private static final int MARGIN_LEFT = 80;
  private static final int MARGIN_RIGHT = 20;
  private static final int MARGIN_TOP = 40;
  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40),
      new Color(44, 160, 44), new Color(148, 103, 189)};

  private LineChart() {}

  /** A white, antialiased canvas with the title drawn, set to the label font. */
  private static Graphics2D canvas(BufferedImage image, String title) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, MARGIN_LEFT, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    return g;
  }

  static void write(Path file, String title, List<Double> x, Map<String, List<Double>> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<Double>> ordered = new TreeMap<>(series);
    int height = MARGIN_TOP + ordered.size() * (PANEL_HEIGHT + 30) + 20;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, title);
    double xMin = x.isEmpty() ? 0 : x.get(0);
    double xMax = x.isEmpty() ? 1 : Math.max(x.get(x.size() - 1), xMin + 1e-9);
    int panel = 0;
    for (Map.Entry<String, List<Double>> entry : ordered.entrySet()) {
      List<Double> y = entry.getValue();
      int top = MARGIN_TOP + panel * (PANEL_HEIGHT + 30);
      int plotWidth = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
      double yMin = y.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double yMax = y.stream().mapToDouble(Double::doubleValue).max().orElse(1);
      if (yMax - yMin < 1e-9) {
        yMax = yMin + 1;
      }
      double pad = (yMax - yMin) * 0.1;
      yMin = Math.max(0, yMin - pad);
      yMax += pad;
      g.setColor(Color.LIGHT_GRAY);
      g.drawRect(MARGIN_LEFT, top, plotWidth, PANEL_HEIGHT);
      g.setColor(Color.DARK_GRAY);
      for (int t = 0; t <= 4; t++) {
        double value = yMin + (yMax - yMin) * t / 4;
        int py = top + PANEL_HEIGHT - (int) (PANEL_HEIGHT * t / 4.0);
        g.drawString(String.format(Locale.ROOT, "%.1f", value), 8, py + 4);
        double xv = xMin + (xMax - xMin) * t / 4;
        int px = MARGIN_LEFT + (int) (plotWidth * t / 4.0);
        g.drawString(String.format(Locale.ROOT, "%.1f min", xv), px - 15,
            top + PANEL_HEIGHT + 14);
      }
      g.drawString(entry.getKey(), MARGIN_LEFT + 6, top + 14);
      g.setColor(COLORS[panel % COLORS.length]);
      g.setStroke(new BasicStroke(1.8f));
      for (int i = 1; i < Math.min(x.size(), y.size()); i++) {
        int x1 = MARGIN_LEFT + (int) (plotWidth * (x.get(i - 1) - xMin) / (xMax - xMin));
        int x2 = MARGIN_LEFT + (int) (plotWidth * (x.get(i) - xMin) / (xMax - xMin));
        int y1 = top + PANEL_HEIGHT - (int) (PANEL_HEIGHT * (y.get(i - 1) - yMin) / (yMax - yMin));
        int y2 = top + PANEL_HEIGHT - (int) (PANEL_HEIGHT * (y.get(i) - yMin) / (yMax - yMin));
        g.drawLine(x1, y1, x2, y2);
      }
      g.setStroke(new BasicStroke(1f));
      panel++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /**
   * Several series on one panel (same unit), x on a log2 scale when {@code log2X} (batch sizes), a
   * point marker at each measurement and a legend; a series may have NaN for points it lacks.
   */
  static void writeOverlay(Path file, String title, String xLabel, String yLabel,
      List<Double> x, Map<String, List<Double>> series, boolean log2X) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = MARGIN_TOP + PANEL_HEIGHT + 70 + 16 * series.size();
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, title);
    java.util.function.DoubleUnaryOperator sx = v -> log2X ? Math.log(v) / Math.log(2) : v;
    double xMin = x.stream().mapToDouble(Double::doubleValue).map(sx).min().orElse(0);
    double xMax = Math.max(x.stream().mapToDouble(Double::doubleValue).map(sx).max().orElse(1),
        xMin + 1e-9);
    double yMax = series.values().stream().flatMap(List::stream).filter(v -> !v.isNaN())
        .mapToDouble(Double::doubleValue).max().orElse(1) * 1.1;
    int top = MARGIN_TOP;
    int plotWidth = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(MARGIN_LEFT, top, plotWidth, PANEL_HEIGHT);
    g.setColor(Color.DARK_GRAY);
    for (int t = 0; t <= 4; t++) {
      int py = top + PANEL_HEIGHT - (int) (PANEL_HEIGHT * t / 4.0);
      g.drawString(String.format(Locale.ROOT, "%.0f", yMax * t / 4), 8, py + 4);
    }
    for (double v : x) {
      int px = MARGIN_LEFT + (int) (plotWidth * (sx.applyAsDouble(v) - xMin) / (xMax - xMin));
      g.drawString(String.format(Locale.ROOT, "%.0f", v), px - 6, top + PANEL_HEIGHT + 14);
    }
    g.drawString(xLabel, MARGIN_LEFT + plotWidth / 2 - 30, top + PANEL_HEIGHT + 30);
    g.drawString(yLabel, MARGIN_LEFT + 6, top + 14);
    int index = 0;
    for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
      Color color = COLORS[index % COLORS.length];
      g.setColor(color);
      g.setStroke(new BasicStroke(1.8f));
      List<Double> y = entry.getValue();
      int lastX = -1;
      int lastY = -1;
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        if (y.get(i).isNaN()) {
          continue;
        }
        int px = MARGIN_LEFT + (int) (plotWidth * (sx.applyAsDouble(x.get(i)) - xMin)
            / (xMax - xMin));
        int py = top + PANEL_HEIGHT - (int) (PANEL_HEIGHT * y.get(i) / yMax);
        g.fillOval(px - 3, py - 3, 7, 7);
        if (lastX >= 0) {
          g.drawLine(lastX, lastY, px, py);
        }
        lastX = px;
        lastY = py;
      }
      int legendY = top + PANEL_HEIGHT + 48 + 16 * index;
      g.fillRect(MARGIN_LEFT, legendY - 8, 14, 8);
      g.setColor(Color.BLACK);
      g.drawString(entry.getKey(), MARGIN_LEFT + 20, legendY);
      index++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
