#pragma once
// A small RAII wrapper over a cairo PDF surface that writes into memory, with pango text
// helpers. It serves the document renderers of this folder; it is not a general graphics
// API. cairo and pango headers stay inside pdf_canvas.cpp so that users compile quickly.
//
// Units are PDF points (1/72 inch), the origin is the top-left corner of the page, y grows
// downwards.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace shenpi::docs {

inline constexpr double kPointsPerMm = 72.0 / 25.4;
inline constexpr double kA4WidthPt = 210.0 * kPointsPerMm;
inline constexpr double kA4HeightPt = 297.0 * kPointsPerMm;

enum class FontFamily {
  sans,   //!< Noto Sans CJK SC: labels, table text
  serif,  //!< Noto Serif CJK SC: titles, body text
};

enum class TextAlign { left, centre, right, justify };

//! A colour, components 0 … 1: for the few coloured marks of official documents.
struct Rgb {
  double r = 0, g = 0, b = 0;
};
//! The red of the seal and the header rule of official documents (红头, 印章).
inline constexpr Rgb kSealRed{0.82, 0.06, 0.06};

//! How a piece of text looks. Sizes in points; 10.5 pt is the Chinese 五号.
struct TextStyle {
  FontFamily family = FontFamily::sans;
  double size_pt = 10.5;
  bool bold = false;
  TextAlign align = TextAlign::left;
  double grey = 0.0;                  //!< 0 black … 1 white
  double first_line_indent_em = 0.0;  //!< 2 for the customary Chinese paragraph indent
  double line_spacing = 0.0;          //!< baseline distance as a factor; 0: the font's own
  std::optional<Rgb> colour;          //!< when set, used instead of grey
};

class PdfCanvas;

//! Text laid out for one width: measure it, then draw it whole or line by line. Valid only
//! while the PdfCanvas that made it lives.
class TextBlock {
 public:
  TextBlock(TextBlock&&) noexcept;
  TextBlock& operator=(TextBlock&&) noexcept;
  ~TextBlock();

  double height() const;         //!< total height of all lines, pt
  double natural_width() const;  //!< width of the widest line, pt
  int line_count() const;
  double line_top(int i) const;     //!< top of line i relative to the block's top
  double line_height(int i) const;  //!< height of line i

  //! Draws the block with its top-left corner at (x, y).
  void draw(double x, double y) const;
  //! Draws only line i, with the top of that line at y (the block's left edge at x).
  void draw_line(int i, double x, double y) const;

 private:
  friend class PdfCanvas;
  struct Impl;
  explicit TextBlock(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

//! One PDF document being drawn, A4 portrait.
//!
//! Thread safety: a PdfCanvas holds a process-wide render lock for its whole life, so
//! canvases on different threads render one after the other. Never create a second
//! canvas on a thread that already holds one (it would deadlock).
class PdfCanvas {
 public:
  //! Starts a document whose PDF Title metadata is `title`. Fails (internal) when cairo
  //! cannot create the surface.
  static Result<std::unique_ptr<PdfCanvas>> create(std::string_view title);

  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;
  ~PdfCanvas();

  //! Lays out `text` wrapped at `width` pt (no wrapping when width <= 0). Invalid UTF-8
  //! is repaired, never rejected.
  TextBlock text(std::string_view text, const TextStyle& style, double width);

  void stroke_rect(double x, double y, double w, double h, double line_width = 0.75);
  void fill_rect(double x, double y, double w, double h, double grey);
  void line(double x1, double y1, double x2, double y2, double line_width = 0.75);
  //! A line in colour (the red rule under an official document's header).
  void line(double x1, double y1, double x2, double y2, double line_width, Rgb colour);

  //! Draws a round seal (电子印章) centred at (cx, cy) in kSealRed: a ring, a five-pointed
  //! star, `arc_text` set upright along the upper arc (clockwise, centred on the top) and
  //! `bottom_text` straight below the star. Slightly transparent, as ink is, so that text
  //! underneath stays legible.
  void draw_seal(double cx, double cy, double radius, std::string_view arc_text,
                 std::string_view bottom_text);

  //! Limits drawing to a rectangle until reset_clip(); guards against content taller than
  //! its page spilling into the margins.
  void clip(double x, double y, double w, double h);
  void reset_clip();

  //! Ends the current page and starts the next one.
  void next_page();

  //! Ends the document and returns its bytes. Call once; the canvas is unusable after.
  Result<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;

 public:
  //! Construction goes through create(); the key keeps this constructor private in effect.
  class Key {
    friend class PdfCanvas;
    Key() = default;
  };
  PdfCanvas(Key, std::unique_ptr<Impl> impl);
};

}  // namespace shenpi::docs
