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

  static void write(Path file, String title, List<Double> x, Map<String, List<Double>> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<Double>> ordered = new TreeMap<>(series);
    int height = MARGIN_TOP + ordered.size() * (PANEL_HEIGHT + 30) + 20;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, MARGIN_LEFT, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
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
}
