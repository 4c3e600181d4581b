#include "docs/pdf_canvas.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <utility>
#include <vector>

namespace shenpi::docs {
namespace {

// ---- RAII for the C handles ----------------------------------------------------------

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct FontOptionsDeleter {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};
struct GObjectDeleter {
  void operator()(gpointer object) const { g_object_unref(object); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct LayoutIterDeleter {
  void operator()(PangoLayoutIter* it) const { pango_layout_iter_free(it); }
};
struct GFreeDeleter {
  void operator()(gchar* p) const { g_free(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, FontOptionsDeleter>;
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectDeleter>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;
using LayoutIterPtr = std::unique_ptr<PangoLayoutIter, LayoutIterDeleter>;
using GCharPtr = std::unique_ptr<gchar, GFreeDeleter>;

// Why one lock for all rendering: a PangoFontMap and the font caches behind it are not
// safe to share between threads, and pango's per-thread default font map would load the
// fontconfig state (tens of MB for the CJK fonts) once per worker thread. Forms are cached
// per item version, so rendering is rare; serialising it costs little and keeps one map.
std::mutex& render_mutex() {
  static std::mutex m;
  return m;
}

// The shared font map; call only with render_mutex() held. Created on first use.
PangoFontMap* font_map() {
  static GObjectPtr<PangoFontMap> map(pango_cairo_font_map_new());
  return map.get();
}

// Appends cairo's output to a std::string; must not let an exception cross into C.
cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

// Pango warns on and truncates invalid UTF-8; repair it instead so that a stray byte in
// catalogue data never loses the rest of a label.
std::string valid_utf8(std::string_view text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    return std::string(text);
  }
  GCharPtr fixed(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  return std::string(fixed.get());
}

Error cairo_error(std::string_view what, cairo_status_t status) {
  std::string message = "生成 PDF 失败：";
  message += what;
  message += "（";
  message += cairo_status_to_string(status);
  message += "）";
  return make_error(ErrorKind::internal, "pdf_render_failed", std::move(message));
}

constexpr double kPango = PANGO_SCALE;

}  // namespace

// ---- TextBlock -------------------------------------------------------------------------

struct LineBox {
  double x = 0;    // left edge of the line in the block (indent, alignment)
  double top = 0;  // top of the line in the block
  double height = 0;
  double baseline = 0;  // baseline in the block
};

struct TextBlock::Impl {
  cairo_t* cr = nullptr;  // borrowed from the canvas, which outlives the block
  GObjectPtr<PangoLayout> layout;
  Rgb colour;
  double height = 0;
  double natural_width = 0;
  std::vector<LineBox> lines;
};

TextBlock::TextBlock(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextBlock::TextBlock(TextBlock&&) noexcept = default;
TextBlock& TextBlock::operator=(TextBlock&&) noexcept = default;
TextBlock::~TextBlock() = default;

double TextBlock::height() const { return impl_->height; }
double TextBlock::natural_width() const { return impl_->natural_width; }
int TextBlock::line_count() const { return static_cast<int>(impl_->lines.size()); }
double TextBlock::line_top(int i) const { return impl_->lines.at(i).top; }
double TextBlock::line_height(int i) const { return impl_->lines.at(i).height; }

void TextBlock::draw(double x, double y) const {
  cairo_t* cr = impl_->cr;
  cairo_save(cr);
  cairo_set_source_rgb(cr, impl_->colour.r, impl_->colour.g, impl_->colour.b);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, impl_->layout.get());
  cairo_restore(cr);
}

void TextBlock::draw_line(int i, double x, double y) const {
  const LineBox& box = impl_->lines.at(i);
  cairo_t* cr = impl_->cr;
  cairo_save(cr);
  cairo_set_source_rgb(cr, impl_->colour.r, impl_->colour.g, impl_->colour.b);
  cairo_move_to(cr, x + box.x, y + (box.baseline - box.top));
  pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(impl_->layout.get(), i));
  cairo_restore(cr);
}

// ---- PdfCanvas -------------------------------------------------------------------------

struct PdfCanvas::Impl {
  // Order matters: members are destroyed bottom-up, so the surface (which may still flush
  // into `bytes`) goes before `bytes`, and the lock is released last.
  std::unique_lock<std::mutex> lock;
  std::string bytes;
  SurfacePtr surface;
  CairoPtr cr;
  GObjectPtr<PangoContext> pango;
  bool finished = false;
};

PdfCanvas::PdfCanvas(Key, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfCanvas::~PdfCanvas() = default;

Result<std::unique_ptr<PdfCanvas>> PdfCanvas::create(std::string_view title) {
  auto impl = std::make_unique<Impl>();
  impl->lock = std::unique_lock<std::mutex>(render_mutex());

  impl->surface.reset(
      cairo_pdf_surface_create_for_stream(append_to_string, &impl->bytes, kA4WidthPt, kA4HeightPt));
  if (cairo_status_t s = cairo_surface_status(impl->surface.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_error("创建 PDF 页面", s);
  }
  const std::string title_utf8 = valid_utf8(title);
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_TITLE, title_utf8.c_str());
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_CREATOR, "Shenpi");
  // cairo stamps the current time as CreationDate by default. Our documents are a pure
  // function of their input (cached per item version, compared byte for byte), so the
  // date is left out: cairo clears a metadata entry set to NULL (see the metadata test).
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, nullptr);

  impl->cr.reset(cairo_create(impl->surface.get()));
  if (cairo_status_t s = cairo_status(impl->cr.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_error("创建绘图上下文", s);
  }

  impl->pango.reset(pango_font_map_create_context(font_map()));
  // PDF user space is in points: tell pango so that a 10.5 pt font is 10.5 units tall
  // (its default is 96 dpi). No hinting: outlines are vectors, metrics must not snap.
  pango_cairo_context_set_resolution(impl->pango.get(), 72.0);
  FontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(impl->pango.get(), options.get());
  // Simplified Chinese glyph forms and line-breaking rules for the Han characters.
  pango_context_set_language(impl->pango.get(), pango_language_from_string("zh-cn"));
  pango_cairo_update_context(impl->cr.get(), impl->pango.get());

  return std::make_unique<PdfCanvas>(Key{}, std::move(impl));
}

TextBlock PdfCanvas::text(std::string_view text, const TextStyle& style, double width) {
  auto block = std::make_unique<TextBlock::Impl>();
  block->cr = impl_->cr.get();
  block->colour = style.colour.value_or(Rgb{style.grey, style.grey, style.grey});
  block->layout.reset(pango_layout_new(impl_->pango.get()));
  PangoLayout* layout = block->layout.get();

  FontDescriptionPtr font(pango_font_description_new());
  pango_font_description_set_family(
      font.get(), style.family == FontFamily::serif ? "Noto Serif CJK SC" : "Noto Sans CJK SC");
  pango_font_description_set_weight(font.get(),
                                    style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_size(font.get(), static_cast<gint>(style.size_pt * kPango));
  pango_layout_set_font_description(layout, font.get());

  if (width > 0) {
    pango_layout_set_width(layout, static_cast<int>(width * kPango));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  switch (style.align) {
    case TextAlign::left:
      pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
      break;
    case TextAlign::centre:
      pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
      break;
    case TextAlign::right:
      pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
      break;
    case TextAlign::justify:
      pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
      pango_layout_set_justify(layout, TRUE);
      break;
  }
  if (style.first_line_indent_em > 0) {
    pango_layout_set_indent(layout,
                            static_cast<int>(style.first_line_indent_em * style.size_pt * kPango));
  }
  if (style.line_spacing > 0) {
    pango_layout_set_line_spacing(layout, static_cast<float>(style.line_spacing));
  }
  const std::string utf8 = valid_utf8(text);
  pango_layout_set_text(layout, utf8.data(), static_cast<int>(utf8.size()));

  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  block->height = logical.height / kPango;
  block->natural_width = logical.width / kPango;

  LayoutIterPtr iter(pango_layout_get_iter(layout));
  do {
    PangoRectangle line_rect;
    pango_layout_iter_get_line_extents(iter.get(), nullptr, &line_rect);
    LineBox box;
    box.x = line_rect.x / kPango;
    box.top = line_rect.y / kPango;
    box.height = line_rect.height / kPango;
    box.baseline = pango_layout_iter_get_baseline(iter.get()) / kPango;
    block->lines.push_back(box);
  } while (pango_layout_iter_next_line(iter.get()));

  return TextBlock(std::move(block));
}

void PdfCanvas::stroke_rect(double x, double y, double w, double h, double line_width) {
  cairo_t* cr = impl_->cr.get();
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, line_width);
  cairo_rectangle(cr, x, y, w, h);
  cairo_stroke(cr);
  cairo_restore(cr);
}

void PdfCanvas::fill_rect(double x, double y, double w, double h, double grey) {
  cairo_t* cr = impl_->cr.get();
  cairo_save(cr);
  cairo_set_source_rgb(cr, grey, grey, grey);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
  cairo_restore(cr);
}

void PdfCanvas::line(double x1, double y1, double x2, double y2, double line_width) {
  cairo_t* cr = impl_->cr.get();
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, line_width);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x2, y2);
  cairo_stroke(cr);
  cairo_restore(cr);
}

void PdfCanvas::line(double x1, double y1, double x2, double y2, double line_width, Rgb colour) {
  cairo_t* cr = impl_->cr.get();
  cairo_save(cr);
  cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
  cairo_set_line_width(cr, line_width);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x2, y2);
  cairo_stroke(cr);
  cairo_restore(cr);
}

namespace {

// A one-line layout of `text` in bold sans at `size` pt, for the seal.
GObjectPtr<PangoLayout> seal_layout(PangoContext* pango, std::string_view text, double size) {
  GObjectPtr<PangoLayout> layout(pango_layout_new(pango));
  FontDescriptionPtr font(pango_font_description_new());
  pango_font_description_set_family(font.get(), "Noto Sans CJK SC");
  pango_font_description_set_weight(font.get(), PANGO_WEIGHT_BOLD);
  pango_font_description_set_size(font.get(), static_cast<gint>(size * kPango));
  pango_layout_set_font_description(layout.get(), font.get());
  const std::string utf8 = valid_utf8(text);
  pango_layout_set_text(layout.get(), utf8.data(), static_cast<int>(utf8.size()));
  return layout;
}

// Shows `layout` centred on the current origin of `cr`.
void show_centred(cairo_t* cr, PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  cairo_move_to(cr, -logical.width / kPango / 2, -logical.height / kPango / 2);
  pango_cairo_show_layout(cr, layout);
}

}  // namespace

void PdfCanvas::draw_seal(double cx, double cy, double radius, std::string_view arc_text,
                          std::string_view bottom_text) {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kInk = 0.88;  // opacity
  cairo_t* cr = impl_->cr.get();
  cairo_save(cr);
  cairo_set_source_rgba(cr, kSealRed.r, kSealRed.g, kSealRed.b, kInk);

  // The ring.
  cairo_set_line_width(cr, radius * 0.055);
  cairo_new_path(cr);
  cairo_arc(cr, cx, cy, radius * 0.96, 0, 2 * kPi);
  cairo_stroke(cr);

  // The star: ten points alternating between the outer and the inner radius, one up.
  const double outer = radius * 0.28;
  const double inner = outer * 0.382;
  cairo_new_path(cr);
  for (int i = 0; i < 10; ++i) {
    const double r = i % 2 == 0 ? outer : inner;
    const double a = -kPi / 2 + i * kPi / 5;
    const double x = cx + r * std::cos(a);
    const double y = cy + r * std::sin(a);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);

  // The arc text, one character at a time, each upright along the radius. The span
  // grows with the number of characters up to 250 degrees, centred on the top.
  std::vector<std::string> chars;
  const std::string utf8 = valid_utf8(arc_text);
  for (const char* p = utf8.c_str(); *p != '\0'; p = g_utf8_next_char(p)) {
    chars.emplace_back(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
  }
  if (!chars.empty()) {
    const double n = static_cast<double>(chars.size());
    const double max_span = kPi * 250 / 180;
    // Characters sit on a circle of about 0.72 r; a character takes about 1.1 em of arc.
    const double size = std::min(radius * 0.24, max_span * radius * 0.72 / (n * 1.1));
    const double text_radius = radius * 0.9 - size * 0.6;
    const double step = n > 1 ? std::min(max_span / (n - 1), size * 1.12 / text_radius) : 0.0;
    const double first = -kPi / 2 - step * (n - 1) / 2;
    for (std::size_t i = 0; i < chars.size(); ++i) {
      const double a = first + step * static_cast<double>(i);
      cairo_save(cr);
      cairo_translate(cr, cx + text_radius * std::cos(a), cy + text_radius * std::sin(a));
      cairo_rotate(cr, a + kPi / 2);
      GObjectPtr<PangoLayout> glyph = seal_layout(impl_->pango.get(), chars[i], size);
      show_centred(cr, glyph.get());
      cairo_restore(cr);
    }
  }

  if (!bottom_text.empty()) {
    cairo_save(cr);
    cairo_translate(cr, cx, cy + radius * 0.52);
    GObjectPtr<PangoLayout> label = seal_layout(impl_->pango.get(), bottom_text, radius * 0.15);
    show_centred(cr, label.get());
    cairo_restore(cr);
  }
  cairo_restore(cr);
}

void PdfCanvas::clip(double x, double y, double w, double h) {
  cairo_t* cr = impl_->cr.get();
  cairo_reset_clip(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
}

void PdfCanvas::reset_clip() { cairo_reset_clip(impl_->cr.get()); }

void PdfCanvas::next_page() { cairo_show_page(impl_->cr.get()); }

Result<std::string> PdfCanvas::finish() {
  if (impl_->finished) {
    return make_error(ErrorKind::internal, "pdf_render_failed", "生成 PDF 失败：重复结束文档");
  }
  impl_->finished = true;
  if (cairo_status_t s = cairo_status(impl_->cr.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_error("绘制", s);
  }
  impl_->cr.reset();
  cairo_surface_finish(impl_->surface.get());
  if (cairo_status_t s = cairo_surface_status(impl_->surface.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_error("写出文档", s);
  }
  impl_->surface.reset();
  return std::move(impl_->bytes);
}

}  // namespace shenpi::docs
