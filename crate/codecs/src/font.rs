//! TrueType and OpenType text as Pillow asks FreeType for it
//! (`_imagingft.c`): a face at a nominal size in 26.6 pixels, glyphs hinted
//! as `FT_LOAD_DEFAULT` hints them (skrifa's TrueType interpreter, CFF
//! hinter or autohinter, chosen as FreeType chooses), Pillow's basic layout
//! (hinted advances, `kern` table pairs), its text box and anchors, and its
//! rendering (glyphs placed at whole pixels, coverage from an area
//! rasterizer like FreeType's smooth one, blended as Pillow blends them).
//! Every failure is a `FontError` carrying FreeType's message for it.

use skrifa::bitmap::{BitmapData, BitmapFormat, BitmapStrikes, Origin};
use skrifa::instance::{LocationRef, NormalizedCoord, Size};
use skrifa::outline::{DrawSettings, HintingInstance, HintingOptions, OutlinePen, SmoothMode, Target};
use skrifa::raw::TableProvider;
use skrifa::raw::tables::kern::{Kern, SubtableKind};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use crate::font_raster::{self, Outline};
use std::collections::HashMap;
use std::rc::Rc;

/// A failed font operation with FreeType's message for it (Pillow raises
/// `OSError` with it), or Pillow's own `ValueError` for a bad anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontError {
    /// FreeType's error string (Pillow's `OSError`).
    FreeType(&'static str),
    /// Pillow's "bad anchor specified" (`ValueError`).
    BadAnchor(String),
    /// Pillow's message for what raqm refused (`ValueError`).
    Raqm(&'static str),
}

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::FreeType(message) => f.write_str(message),
            Self::BadAnchor(anchor) => write!(f, "bad anchor specified: {anchor}"),
            Self::Raqm(message) => f.write_str(message),
        }
    }
}

type FontResult<T> = Result<T, FontError>;

const UNKNOWN_FORMAT: FontError = FontError::FreeType("unknown file format");
const INVALID_ARGUMENT: FontError = FontError::FreeType("invalid argument");
const INVALID_OUTLINE: FontError = FontError::FreeType("invalid outline");
const INVALID_PIXEL_SIZE: FontError = FontError::FreeType("invalid pixel size");
const INVALID_TABLE: FontError = FontError::FreeType("broken table");

/// FreeType's `FT_MulFix`: `a * b / 65536`, rounded half away from zero.
fn mul_fix(a: i64, b: i64) -> i64 {
    let product = (a * b).abs();
    let value = (product + 0x8000) >> 16;
    if (a < 0) != (b < 0) { -value } else { value }
}

/// FreeType's `FT_DivFix`: `a * 65536 / b`, rounded.
fn div_fix(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0x7FFF_FFFF;
    }
    let value = ((a.abs() << 16) + b.abs() / 2) / b.abs();
    if (a < 0) != (b < 0) { -value } else { value }
}

/// FreeType's `FT_MulDiv`: `a * b / c`, rounded.
fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    if c == 0 {
        return 0x7FFF_FFFF;
    }
    let value = ((a * b).abs() + c.abs() / 2) / c.abs();
    if ((a < 0) != (b < 0)) != (c < 0) { -value } else { value }
}

/// Pillow's `PIXEL`: a 26.6 value rounded to whole pixels.
pub fn pixel(value: i64) -> i64 {
    (value + 32) >> 6
}

fn pix_round(value: i64) -> i64 {
    (value + 32) & -64
}

fn pix_floor(value: i64) -> i64 {
    value & -64
}

fn pix_ceil(value: i64) -> i64 {
    (value + 63) & -64
}

/// A glyph as `FT_Load_Glyph` leaves it: its hinted outline (pixels, y up),
/// the outline's control box in 26.6 (`None` when empty) and its advance.
pub struct Glyph {
    pub outline: Outline,
    pub cbox: Option<[i64; 4]>,
    pub advance: i64,
    /// An embedded bitmap (EBDT, or a colour one made grey) in place of the
    /// outline: its coverage, a byte a pixel, rows top down; `cbox` is then
    /// its box.
    pub bitmap: Option<Vec<u8>>,
    /// With `FT_LOAD_COLOR`: the colour bitmap (CBDT, sbix, or the COLR
    /// layers blended), which Pillow pastes in place of the glyph.
    pub color: Option<font_raster::ColorBitmap>,
}

/// One laid-out glyph (Pillow's `GlyphInfo`), in 26.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub glyph: u32,
    pub x_advance: i64,
    pub y_advance: i64,
    pub x_offset: i64,
    pub y_offset: i64,
}

/// The text box of `bounding_box_and_anchors`: its size and the offset of
/// its corner from the anchor, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextBox {
    pub width: i64,
    pub height: i64,
    pub x_offset: i64,
    pub y_offset: i64,
}

/// A rendered text mask (Pillow's `font.render`): its size, offset and
/// coverage bytes (one a pixel, rows top down).
pub struct Rendered {
    pub width: usize,
    pub height: usize,
    pub x_offset: i64,
    pub y_offset: i64,
    pub pixels: Vec<u8>,
}

/// A variation axis as Pillow's `getvaraxes` reports it.
pub struct Axis {
    pub name: Vec<u8>,
    pub minimum: f32,
    pub default: f32,
    pub maximum: f32,
}

/// A font face at one size, as Pillow's `FontObject`.
pub struct Face {
    data: Vec<u8>,
    index: u32,
    /// The requested size in 26.6 (`size * 64`, truncated as FreeType's `FT_Long`).
    request: i64,
    units_per_em: i64,
    x_ppem: i64,
    y_scale: i64,
    x_scale: i64,
    ascender: i64,
    descender: i64,
    height: i64,
    coords: Vec<NormalizedCoord>,
    hinting: [Option<HintingInstance>; 2],
    has_kerning: bool,
    /// The style name of the selected named instance (FreeType's).
    style: Option<String>,
    /// The design coordinates of the axes set, for the shaper.
    design: Vec<(u32, f32)>,
    /// The table and ppem of the embedded bitmap strike FreeType selects
    /// for the requested size (one of exactly that size), if any.
    strike: Option<(BitmapFormat, u16)>,
    /// Glyphs loaded so far, by glyph, monochrome target, outline only and
    /// colour ink: a text is laid out, measured and rendered from the same glyphs.
    glyphs: HashMap<GlyphKey, Rc<Glyph>>,
    /// For a bare CFF font, what FreeType's CFF driver sets for its face:
    /// family and style names, ascender, descender and height in units.
    bare: Option<BareFace>,
}

/// A bare CFF face's family, style and line metrics (font units).
type BareFace = (Option<String>, String, (i64, i64, i64));

type GlyphKey = (u32, bool, bool, Option<[u8; 3]>);

/// Glyphs kept per face before the cache starts over.
const GLYPHS_KEPT: usize = 4096;

impl Face {
    /// The face `index` of the font file `data` at `size` pixels (FreeType's
    /// `FT_New_Memory_Face` and `FT_Request_Size`).
    pub fn new(data: Vec<u8>, index: u32, size: f32) -> FontResult<Self> {
        let data = crate::font_woff::unwrap(&data)?.unwrap_or(data);
        let data = crate::font_woff::loca_as_freetype(&data).unwrap_or(data);
        // FreeType's CFF driver opens a file that is a CFF table alone.
        let bare = match FontRef::from_index(&data, index) {
            Ok(_) => None,
            Err(_) => crate::font_cff::open(&data, index)?,
        };
        let (data, index, bare) = match bare {
            Some(cff) => (cff.sfnt, 0, Some((cff.family, cff.style, cff.line))),
            None => (data, index, None),
        };
        let font = FontRef::from_index(&data, index).map_err(|_| UNKNOWN_FORMAT)?;
        let head = font.head().map_err(|_| UNKNOWN_FORMAT)?;
        let units_per_em = i64::from(head.units_per_em());
        // The SFNT drivers' limits; a bare CFF's is whatever its FontMatrix says.
        if !(16..=16384).contains(&units_per_em) && bare.is_none() {
            return Err(INVALID_TABLE);
        }
        font.outline_glyphs();
        let request = (size * 64.0) as i64;
        // FreeType's ppem is 16 bits; TrueType's hinter needs at least one.
        if request <= 0 || (request + 32) >> 6 > 0xFFFF {
            return Err(INVALID_PIXEL_SIZE);
        }
        if (request + 32) >> 6 == 0 && font.glyf().is_ok() {
            return Err(FontError::FreeType("invalid ppem value"));
        }
        let has_kerning = kern_subtables(&font).next().is_some();
        let mut face = Self {
            data: Vec::new(),
            index,
            request,
            units_per_em,
            x_ppem: 0,
            x_scale: 0,
            y_scale: 0,
            ascender: 0,
            descender: 0,
            height: 0,
            coords: Vec::new(),
            hinting: [None, None],
            has_kerning,
            style: None,
            design: Vec::new(),
            strike: None,
            glyphs: HashMap::new(),
            bare,
        };
        face.data = data;
        face.scale()?;
        face.select_strike()?;
        Ok(face)
    }

    /// FreeType's `FT_Match_Size`: a strike (CBLC, else EBLC, else sbix,
    /// as FreeType looks for them) whose ppem is the requested size rounded.
    /// A face without outlines (sbix ones count as such, as FreeType ignores
    /// their `glyf`) takes its size metrics from the strike and has no
    /// other sizes.
    fn select_strike(&mut self) -> FontResult<()> {
        let font = self.font()?;
        let wanted = pix_round(self.request) >> 6;
        let formats = [BitmapFormat::Cbdt, BitmapFormat::Ebdt, BitmapFormat::Sbix];
        let Some(strikes) = formats.iter().find_map(|&format| BitmapStrikes::with_format(&font, format)) else {
            return Ok(());
        };
        let format = strikes.format().ok_or(UNKNOWN_FORMAT)?;
        let ppems = |format| -> Vec<(i64, i64, i64, i64)> {
            match format {
                BitmapFormat::Cbdt => font.cblc().map_or(Vec::new(), |cblc| {
                    cblc.bitmap_sizes().iter().map(|size| bdt_size(size.ppem_x(), size.ppem_y(), size.hori())).collect()
                }),
                BitmapFormat::Ebdt => font.eblc().map_or(Vec::new(), |eblc| {
                    eblc.bitmap_sizes().iter().map(|size| bdt_size(size.ppem_x(), size.ppem_y(), size.hori())).collect()
                }),
                BitmapFormat::Sbix => {
                    strikes.iter().map(|strike| (strike.ppem() as i64, strike.ppem() as i64, 0, 0)).collect()
                }
            }
        };
        let found = ppems(format).into_iter().find(|&(x, y, _, _)| x == wanted && y == wanted);
        let scalable =
            format != BitmapFormat::Sbix && (font.glyf().is_ok() || font.cff().is_ok() || font.cff2().is_ok());
        let line = font
            .hhea()
            .ok()
            .map(|hhea| [hhea.ascender(), hhea.descender(), hhea.line_gap()].map(|value| i64::from(value.to_i16())));
        self.strike = found.map(|(ppem, _, _, _)| (format, ppem as u16));
        if scalable {
            return Ok(());
        }
        let Some((ppem, _, ascender, descender)) = found else {
            return Err(INVALID_PIXEL_SIZE);
        };
        if format == BitmapFormat::Sbix {
            let [ascender, descender, gap] = line.ok_or(INVALID_TABLE)?;
            let scaled = |units: i64| mul_div(units, ppem * 64, self.units_per_em);
            self.ascender = scaled(ascender);
            self.descender = scaled(descender);
            self.height = scaled(ascender - descender + gap);
        } else {
            self.ascender = ascender * 64;
            self.descender = -descender.abs() * 64;
            self.height = self.ascender - self.descender;
        }
        self.x_ppem = ppem;
        Ok(())
    }

    /// The embedded bitmap of `glyph` in the selected strike, as FreeType
    /// loads it: its box (26.6), advance and 8-bit coverage, or with
    /// `color` the colour bitmap of a CBDT or sbix glyph (else made grey as
    /// FreeType makes it without `FT_LOAD_COLOR`).
    fn bitmap_glyph(&self, glyph: u32, color: bool) -> FontResult<Option<Glyph>> {
        let Some((format, ppem)) = self.strike else {
            return Ok(None);
        };
        let font = self.font()?;
        let Some(strikes) = BitmapStrikes::with_format(&font, format) else {
            return Ok(None);
        };
        let Some(strike) = strikes.iter().find(|strike| strike.ppem() == f32::from(ppem)) else {
            return Ok(None);
        };
        let Some(bitmap) = strike.get(GlyphId::new(glyph)) else {
            return Ok(None);
        };
        let (width, height) = (bitmap.width, bitmap.height);
        let count = width as usize * height as usize;
        if count > 1 << 24 {
            return Err(INVALID_TABLE);
        }
        let premultiplied = match &bitmap.data {
            BitmapData::Mask(mask) => {
                let mut pixels = vec![0u8; count];
                mask.decode_to_slice(width, height, &mut pixels).map_err(|_| INVALID_TABLE)?;
                Err(pixels)
            }
            BitmapData::Png(png) => Ok(png_premultiplied(png, width, height)?),
            BitmapData::Bgra(bgra) => {
                let bytes = bgra.get(..count * 4).ok_or(INVALID_TABLE)?;
                Ok(bytes.chunks_exact(4).flat_map(|pixel| [pixel[2], pixel[1], pixel[0], pixel[3]]).collect())
            }
        };
        let left = bitmap.inner_bearing_x as i64;
        let top = match bitmap.placement_origin {
            Origin::TopLeft => bitmap.inner_bearing_y as i64,
            Origin::BottomLeft => bitmap.inner_bearing_y as i64 + i64::from(height),
        };
        let cbox = [left * 64, (top - i64::from(height)) * 64, (left + i64::from(width)) * 64, top * 64];
        let advance = match bitmap.advance {
            Some(advance) => advance as i64 * 64,
            // sbix: the hmtx advance in whole pixels (FreeType's `tt_face_load_sbix_image`).
            None => {
                let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
                let units = metrics.advance_width(GlyphId::new(glyph)).unwrap_or(0.0) as i64;
                units * i64::from(ppem) / self.units_per_em * 64
            }
        };
        let mut loaded = Glyph { outline: Outline::default(), cbox: Some(cbox), advance, bitmap: None, color: None };
        match premultiplied {
            Err(coverage) => loaded.bitmap = Some(coverage),
            Ok(rgba) if color => {
                let bitmap_box = [left, top - i64::from(height), left + i64::from(width), top];
                loaded.color = Some(font_raster::ColorBitmap { pixels: rgba, bitmap: bitmap_box });
            }
            Ok(rgba) => loaded.bitmap = Some(rgba.chunks_exact(4).map(grey_of_premultiplied).collect()),
        }
        Ok(Some(loaded))
    }

    fn font(&self) -> FontResult<FontRef<'_>> {
        FontRef::from_index(&self.data, self.index).map_err(|_| UNKNOWN_FORMAT)
    }

    /// The size metrics as FreeType computes them (`FT_Request_Metrics`,
    /// then the TrueType driver's rounding to whole ppem when the font's
    /// head flags ask for it).
    fn scale(&mut self) -> FontResult<()> {
        let font = FontRef::from_index(&self.data, self.index).map_err(|_| UNKNOWN_FORMAT)?;
        let metrics = skrifa::metrics::Metrics::new(&font, Size::unscaled(), LocationRef::new(&self.coords));
        let (mut ascent, mut descent) = (metrics.ascent.round() as i64, metrics.descent.round() as i64);
        let mut leading = metrics.leading.round() as i64;
        if let Some((_, _, (bare_ascent, bare_descent, height))) = self.bare {
            (ascent, descent, leading) = (bare_ascent, bare_descent, height - (bare_ascent - bare_descent));
        }
        self.x_ppem = (self.request + 32) >> 6;
        // The unrounded scale, also for TrueType fonts whose head flags ask
        // for whole ppem (FreeType 2.14 rounds only the hinter's ppem, as
        // skrifa does).
        let scale = div_fix(self.request, self.units_per_em);
        self.x_scale = scale;
        self.y_scale = scale;
        let line = ascent - descent + leading;
        // FreeType's grid-fitted size metrics (`ft_recompute_scaled_metrics`).
        self.ascender = pix_ceil(mul_fix(ascent, scale));
        self.descender = pix_floor(mul_fix(descent, scale));
        self.height = pix_round(mul_fix(line, scale));
        self.hinting = [None, None];
        self.glyphs.clear();
        Ok(())
    }

    /// The ppem the outlines are scaled to.
    fn ppem(&self) -> f32 {
        self.request as f32 / 64.0
    }

    /// Ascender and descender (26.6) and line height.
    pub fn size_metrics(&self) -> (i64, i64, i64) {
        (self.ascender, self.descender, self.height)
    }

    /// The x and y ppem (Pillow's `x_ppem`, `y_ppem`).
    pub fn ppems(&self) -> i64 {
        self.x_ppem
    }

    /// The number of glyphs.
    pub fn glyph_count(&self) -> FontResult<u32> {
        Ok(u32::from(self.font()?.maxp().map_err(|_| UNKNOWN_FORMAT)?.num_glyphs()))
    }

    /// The family and style names FreeType gives the face.
    pub fn names(&self) -> FontResult<(Option<String>, Option<String>)> {
        if let Some((family, style, _)) = &self.bare {
            return Ok((family.clone(), Some(self.style.clone().unwrap_or_else(|| style.clone()))));
        }
        let font = self.font()?;
        let wws = font.os2().map(|os2| os2.fs_selection().bits() & 256 != 0).unwrap_or(false);
        let family_ids: &[u16] = if wws { &[21, 16, 1] } else { &[16, 1] };
        let style_ids: &[u16] = if wws { &[22, 17, 2] } else { &[17, 2] };
        let find = |ids: &[u16]| ids.iter().find_map(|id| name_string(&font, *id));
        Ok((find(family_ids), self.style.clone().or_else(|| find(style_ids))))
    }

    fn hinter(&mut self, mono: bool) -> FontResult<&HintingInstance> {
        let slot = usize::from(mono);
        if self.hinting[slot].is_none() {
            let font = FontRef::from_index(&self.data, self.index).map_err(|_| UNKNOWN_FORMAT)?;
            let outlines = font.outline_glyphs();
            let target = if mono { Target::Mono } else { SmoothMode::Normal.into() };
            let options = HintingOptions { engine: skrifa::outline::Engine::AutoFallback, target };
            let size = Size::new(self.ppem());
            let instance = HintingInstance::new(&outlines, size, LocationRef::new(&self.coords), options)
                .map_err(|_| FontError::FreeType("invalid glyph format"))?;
            self.hinting[slot] = Some(instance);
        }
        self.hinting[slot].as_ref().ok_or(INVALID_ARGUMENT)
    }

    /// The glyph of each character of `codes`, 0 where the font's cmap has none.
    pub fn glyph_indices(&self, codes: &[u32]) -> FontResult<Vec<u32>> {
        let font = self.font()?;
        let charmap = font.charmap();
        if !charmap.has_map() {
            return Ok(codes.iter().map(|&code| small_cmap(&font, code)).collect());
        }
        Ok(codes.iter().map(|&code| charmap.map(code).map_or(0, |glyph| glyph.to_u32())).collect())
    }

    /// `FT_Load_Glyph(face, glyph, FT_LOAD_DEFAULT [| FT_LOAD_TARGET_MONO])`:
    /// the strike's bitmap if there is one, else the hinted outline.
    pub fn load(&mut self, glyph: u32, mono: bool) -> FontResult<Rc<Glyph>> {
        self.cached(glyph, mono, false, None)
    }

    /// `load` with `FT_LOAD_COLOR`, `ink` the foreground colour COLR
    /// layers of palette entry 0xFFFF take.
    pub fn load_color(&mut self, glyph: u32, mono: bool, ink: [u8; 3]) -> FontResult<Rc<Glyph>> {
        self.cached(glyph, mono, false, Some(ink))
    }

    /// The hinted outline (`FT_LOAD_NO_BITMAP`, as Pillow strokes glyphs).
    pub fn load_outline(&mut self, glyph: u32, mono: bool) -> FontResult<Rc<Glyph>> {
        self.cached(glyph, mono, true, None)
    }

    fn cached(&mut self, glyph: u32, mono: bool, outline_only: bool, ink: Option<[u8; 3]>) -> FontResult<Rc<Glyph>> {
        let key = (glyph, mono, outline_only, ink);
        if let Some(loaded) = self.glyphs.get(&key) {
            return Ok(Rc::clone(loaded));
        }
        if glyph >= self.glyph_count()? {
            return Err(INVALID_ARGUMENT);
        }
        let bitmap = if outline_only { None } else { self.bitmap_glyph(glyph, ink.is_some())? };
        let mut loaded = match bitmap {
            Some(bitmap) => bitmap,
            None => self.hinted_outline(glyph, mono)?,
        };
        if let (Some(ink), None, None) = (ink, &loaded.bitmap, &loaded.color) {
            loaded.color = self.color_layers(glyph, mono, ink)?;
        }
        let loaded = Rc::new(loaded);
        if self.glyphs.len() >= GLYPHS_KEPT {
            self.glyphs.clear();
        }
        self.glyphs.insert(key, Rc::clone(&loaded));
        Ok(loaded)
    }

    /// A COLR (version 0) glyph's layers rendered and blended into one
    /// colour bitmap as FreeType's `FT_Render_Glyph` does with
    /// `FT_LOAD_COLOR` (`tt_face_colr_blend_layer`): each layer glyph
    /// rendered as without colour, painted with its palette 0 entry (0xFFFF:
    /// `ink`), the bitmap grown to hold every layer. `None` for a glyph with
    /// no layers, or layers FreeType gives up on (it then draws the outline).
    fn color_layers(&mut self, glyph: u32, mono: bool, ink: [u8; 3]) -> FontResult<Option<font_raster::ColorBitmap>> {
        let font = self.font()?;
        let Ok(colr) = font.colr() else {
            return Ok(None);
        };
        let Ok(Some(range)) = colr.v0_base_glyph(GlyphId::new(glyph)) else {
            return Ok(None);
        };
        let mut layers = Vec::with_capacity(range.len().min(256));
        for index in range {
            let Ok((layer, palette_index)) = colr.v0_layer(index) else {
                return Ok(None);
            };
            layers.push((u32::from(layer.to_u16()), palette_index));
        }
        let palette = font.cpal().ok().map(|cpal| {
            let first = cpal.color_record_indices().first().map_or(0, |index| usize::from(index.get()));
            let entries = usize::from(cpal.num_palette_entries());
            let records = cpal.color_records_array().and_then(Result::ok).unwrap_or_default();
            records.get(first..first + entries).unwrap_or_default().to_vec()
        });
        let mut target: Option<font_raster::ColorBitmap> = None;
        for (layer, palette_index) in layers {
            let [red, green, blue, alpha] = if palette_index == 0xFFFF {
                [ink[0], ink[1], ink[2], 255]
            } else {
                match palette.as_ref().and_then(|records| records.get(usize::from(palette_index))) {
                    Some(record) => [record.red(), record.green(), record.blue(), record.alpha()],
                    None => return Ok(None),
                }
            };
            if layer >= self.glyph_count()? {
                return Ok(None);
            }
            let loaded = self.cached(layer, mono, false, None)?;
            let rendered = match &loaded.bitmap {
                Some(bitmap) => Some((font_raster::bitmap_box(loaded.cbox, false), bitmap.clone())),
                None => font_raster::glyph_coverage(&loaded.outline, loaded.cbox, mono),
            };
            let (bitmap_box, coverage) = rendered.unwrap_or(([0; 4], Vec::new()));
            font_raster::blend_layer(&mut target, bitmap_box, &coverage, [red, green, blue, alpha]);
        }
        Ok(target)
    }

    fn hinted_outline(&mut self, glyph: u32, mono: bool) -> FontResult<Glyph> {
        self.hinter(mono)?;
        let font = self.font()?;
        let outlines = font.outline_glyphs();
        let mut pen = OutlineBuilder::default();
        let mut advance = None;
        if let Some(outline) = outlines.get(GlyphId::new(glyph)) {
            let hinter = self.hinting[usize::from(mono)].as_ref().ok_or(INVALID_ARGUMENT)?;
            let adjusted = outline.draw(DrawSettings::hinted(hinter, false), &mut pen).map_err(|_| INVALID_OUTLINE)?;
            // FreeType's CFF driver rounds the advance it scales in 16.16,
            // which skrifa's float scaling can land just below.
            if font.glyf().is_ok() {
                advance = adjusted.advance_width.map(|width| (f64::from(width) * 64.0).round() as i64);
            }
        }
        let advance = match advance {
            Some(advance) => advance,
            None => {
                let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::new(&self.coords));
                let units = metrics.advance_width(GlyphId::new(glyph)).unwrap_or(0.0).round() as i64;
                pix_round(mul_fix(units, self.x_scale))
            }
        };
        let cbox = pen.outline.control_box();
        Ok(Glyph { outline: pen.outline, cbox, advance, bitmap: None, color: None })
    }

    /// The kerning FreeType's `FT_Get_Kerning` gives the pair in its default
    /// (grid-fitted) mode, in 26.6: the sum over the format 0 horizontal
    /// subtables of the `kern` table, scaled, damped below 25 ppem, rounded.
    pub fn kerning(&self, left: u32, right: u32) -> FontResult<i64> {
        let font = self.font()?;
        let mut units = 0i64;
        for (subtable, overrides) in kern_subtables(&font) {
            if let Some(value) = subtable.kerning(GlyphId::new(left), GlyphId::new(right)) {
                units = if overrides { i64::from(value) } else { units + i64::from(value) };
            }
        }
        let mut value = mul_fix(units, self.x_scale);
        if self.x_ppem < 25 {
            value = value * self.x_ppem / 25;
        }
        Ok(pix_round(value))
    }

    /// Pillow's basic layout (`text_layout_fallback`): a glyph a character,
    /// each advancing by its hinted advance; a kerning pair adds its pixels
    /// (as 26.6 units, as Pillow does) to the first glyph's advance.
    pub fn layout(&mut self, codes: &[u32], mono: bool) -> FontResult<Vec<Placed>> {
        let mut placed: Vec<Placed> = Vec::with_capacity(codes.len());
        let mut last = 0u32;
        for glyph in self.glyph_indices(codes)? {
            let loaded = self.load(glyph, mono)?;
            if self.has_kerning && last != 0 && glyph != 0 {
                let delta = self.kerning(last, glyph)?;
                if let Some(previous) = placed.last_mut() {
                    previous.x_advance += pixel(delta);
                }
            }
            placed.push(Placed { glyph, x_advance: loaded.advance, y_advance: 0, x_offset: 0, y_offset: 0 });
            last = glyph;
        }
        Ok(placed)
    }

    /// Pillow's Raqm layout (`text_layout_raqm`): `text` shaped by
    /// rustybuzz (HarfBuzz's shaper) with `direction` ("ltr", "rtl",
    /// "ttb"), `features` ("-liga", "kern"...) and `language`. As raqm
    /// asks HarfBuzz through FreeType, advances are the unhinted ones in
    /// 26.6, and what GPOS adds is scaled as HarfBuzz scales it.
    pub fn layout_shaped(
        &mut self,
        text: &str,
        direction: Option<&str>,
        features: &[String],
        language: Option<&str>,
    ) -> FontResult<Vec<Placed>> {
        use std::str::FromStr;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut parsed = Vec::with_capacity(features.len());
        for feature in features {
            // HarfBuzz's parser wants a tag of one to four letters or digits
            // (rustybuzz's takes some strings it refuses, "+" for one).
            let body = feature.trim_start_matches(['+', '-']).trim_matches(['"', '\'']);
            let tag_length = body.find(['[', '=', '"', '\'']).unwrap_or(body.len());
            if !(1..=4).contains(&tag_length) || !body[..tag_length].chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(FontError::Raqm("raqm_add_font_feature() failed"));
            }
            parsed.push(
                rustybuzz::Feature::from_str(feature).map_err(|_| FontError::Raqm("raqm_add_font_feature() failed"))?,
            );
        }
        let language = match language {
            Some(language) => Some(
                rustybuzz::Language::from_str(language).map_err(|_| FontError::Raqm("raqm_set_language() failed"))?,
            ),
            None => None,
        };
        let vertical = direction == Some("ttb");
        let shaping_copy;
        let shaped_data = if self.bare.is_some() && !(16..=16384).contains(&self.units_per_em) {
            shaping_copy = crate::font_cff::for_shaping(&self.data);
            &shaping_copy
        } else {
            &self.data
        };
        let mut shaper = rustybuzz::Face::from_slice(shaped_data, self.index).ok_or(UNKNOWN_FORMAT)?;
        if !self.design.is_empty() {
            let design: Vec<rustybuzz::Variation> = self
                .design
                .iter()
                .map(|&(tag, value)| rustybuzz::Variation { tag: rustybuzz::ttf_parser::Tag(tag), value })
                .collect();
            shaper.set_variations(&design);
        }
        let font = self.font()?;
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::new(&self.coords));
        let vertical_advances = font.vmtx().ok();
        let x_mult = (((self.x_scale * self.units_per_em + 0x8000) >> 16) << 16) / self.units_per_em;
        let em = |value: i64| (value * x_mult + 0x8000) >> 16;
        let (runs, right_to_left) = if vertical { (vec![text], false) } else { direction_runs(text, direction) };
        let mut placed = Vec::with_capacity(text.len());
        let mut ordered: Vec<&str> = runs;
        if right_to_left {
            ordered.reverse();
        }
        for run in ordered {
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(run);
            if let Some(language) = &language {
                buffer.set_language(language.clone());
            }
            if vertical {
                buffer.set_direction(rustybuzz::Direction::TopToBottom);
            }
            // A run of one direction is shaped in its script's direction,
            // as raqm's bidi pass hands it to HarfBuzz.
            buffer.guess_segment_properties();
            let shaped = rustybuzz::shape(&shaper, &parsed, buffer);
            for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                let glyph = info.glyph_id;
                let (x_advance, y_advance);
                if vertical {
                    // FreeType's unhinted vertical advance: the vmtx entry, or
                    // one em without vertical metrics, as HarfBuzz's FreeType
                    // font asks for it; none for a mark the shaper zeroed.
                    let units = vertical_advances
                        .as_ref()
                        .and_then(|advances| advances.advance(GlyphId::new(glyph)))
                        .map_or(self.units_per_em, i64::from);
                    x_advance = 0;
                    y_advance =
                        if position.y_advance == 0 { 0 } else { -((mul_div(units, self.x_scale, 64) + 512) >> 10) };
                } else {
                    let units = metrics.advance_width(GlyphId::new(glyph)).unwrap_or(0.0);
                    let linear = mul_div(units.round() as i64, self.x_scale, 64);
                    let advance = (linear + 512) >> 10;
                    x_advance = advance + em(i64::from(position.x_advance) - units.round() as i64);
                    y_advance = em(i64::from(position.y_advance));
                }
                placed.push(Placed {
                    glyph,
                    x_advance,
                    y_advance,
                    x_offset: em(i64::from(position.x_offset)),
                    y_offset: em(i64::from(position.y_offset)),
                });
            }
        }
        Ok(placed)
    }

    /// Pillow's `getlength`: the sum of the advances, in 26.6.
    pub fn length(&mut self, codes: &[u32], mono: bool, vertical: bool) -> FontResult<i64> {
        let placed = self.layout(codes, mono)?;
        Ok(placed.iter().map(|glyph| if vertical { -glyph.y_advance } else { glyph.x_advance }).sum())
    }

    /// Pillow's `bounding_box_and_anchors`.
    pub fn text_box(&mut self, placed: &[Placed], mono: bool, vertical: bool, anchor: &str) -> FontResult<TextBox> {
        self.text_box_of(placed, mono, vertical, anchor, false)
    }

    /// `text_box`, from the outlines when `outlines` (Pillow's
    /// `FT_LOAD_NO_BITMAP` for stroked text).
    pub fn text_box_of(
        &mut self,
        placed: &[Placed],
        mono: bool,
        vertical: bool,
        anchor: &str,
        outlines: bool,
    ) -> FontResult<TextBox> {
        let (mut position, mut x_min, mut x_max, mut y_min, mut y_max) = (0i64, 0i64, 0i64, 0i64, 0i64);
        for glyph in placed {
            let (px, py);
            if vertical {
                px = pixel(glyph.x_offset);
                py = pixel(position + glyph.y_offset);
                position += glyph.y_advance;
                y_min = y_min.min(pixel(position));
            } else {
                px = pixel(position + glyph.x_offset);
                py = pixel(glyph.y_offset);
                position += glyph.x_advance;
                x_max = x_max.max(pixel(position));
            }
            let loaded = if outlines { self.load_outline(glyph.glyph, mono)? } else { self.load(glyph.glyph, mono)? };
            let [left, bottom, right, top] = loaded.cbox.unwrap_or([0; 4]);
            x_max = x_max.max((pix_ceil(right) >> 6) + px);
            x_min = x_min.min((pix_floor(left) >> 6) + px);
            y_max = y_max.max((pix_ceil(top) >> 6) + py);
            y_min = y_min.min((pix_floor(bottom) >> 6) + py);
        }
        let bad = || FontError::BadAnchor(anchor.to_string());
        let anchor_chars: Vec<char> = anchor.chars().collect();
        if anchor_chars.len() != 2 {
            return Err(bad());
        }
        let (mut x_anchor, mut y_anchor) = (0, 0);
        if !placed.is_empty() {
            if vertical {
                x_anchor = match anchor_chars[0] {
                    'l' => x_min,
                    'm' => (x_min + x_max) / 2,
                    'r' => x_max,
                    's' => 0,
                    _ => return Err(bad()),
                };
                y_anchor = match anchor_chars[1] {
                    't' => 0,
                    'm' => pixel(position / 2),
                    'b' => pixel(position),
                    _ => return Err(bad()),
                };
            } else {
                x_anchor = match anchor_chars[0] {
                    'l' => 0,
                    'm' => pixel(position / 2),
                    'r' => pixel(position),
                    _ => return Err(bad()),
                };
                y_anchor = match anchor_chars[1] {
                    'a' => pixel(self.ascender),
                    't' => y_max,
                    'm' => pixel((self.ascender + self.descender) / 2),
                    's' => 0,
                    'b' => y_min,
                    'd' => pixel(self.descender),
                    _ => return Err(bad()),
                };
            }
        }
        Ok(TextBox {
            width: x_max - x_min,
            height: y_max - y_min,
            x_offset: x_min - x_anchor,
            y_offset: y_anchor - y_max,
        })
    }

    /// Pillow's `font_render`: the mask of the laid-out glyphs, `start` the
    /// fractional position of the text, `stroke` the stroke width (its
    /// outside border only when `stroke_filled`). `max_pixels` bounds the
    /// mask (the caller checks Pillow's decompression-bomb limit first).
    /// With `ink` (Pillow's mode "RGBA", `FT_LOAD_COLOR`) the mask is RGBA:
    /// colour glyphs pasted, the others painting the ink.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        placed: &[Placed],
        mono: bool,
        vertical: bool,
        anchor: &str,
        stroke: f32,
        stroke_filled: bool,
        start: (f32, f32),
        max_pixels: u64,
        ink: Option<[u8; 3]>,
    ) -> FontResult<Rendered> {
        let text_box = self.text_box_of(placed, mono, vertical, anchor, stroke != 0.0)?;
        let width = text_box.width + (stroke * 2.0 + start.0).ceil() as i64;
        let height = text_box.height + (stroke * 2.0 + start.1).ceil() as i64;
        let x_offset = (text_box.x_offset as f32 - stroke).round() as i64;
        let y_offset = (text_box.y_offset as f32 - stroke).round() as i64;
        if width < 0 || height < 0 || (width as u64).saturating_mul(height as u64) > max_pixels {
            return Err(FontError::FreeType("out of memory"));
        }
        let (width, height) = (width as usize, height as usize);
        let channels = if ink.is_some() { 4 } else { 1 };
        let mut pixels = vec![0u8; width * height * channels];
        let mut rendered = Rendered { width, height, x_offset, y_offset, pixels: Vec::new() };
        if placed.is_empty() || width == 0 || height == 0 {
            rendered.pixels = pixels;
            return Ok(rendered);
        }
        let radius = (f64::from(stroke) * 64.0).round() as i64;
        // The pen's origin: Pillow finds the leftmost and topmost bitmap edge first.
        let (mut x, mut y, mut x_min, mut y_max) = (0i64, 0i64, 0i64, 0i64);
        let mut glyphs = Vec::with_capacity(placed.len());
        for glyph in placed {
            let (px, py) = (pixel(x + glyph.x_offset), pixel(y + glyph.y_offset));
            // A stroke is drawn from outlines (Pillow adds FT_LOAD_NO_BITMAP).
            let loaded = match ink {
                _ if radius != 0 => self.load_outline(glyph.glyph, mono)?,
                Some(ink) => self.load_color(glyph.glyph, mono, ink)?,
                None => self.load(glyph.glyph, mono)?,
            };
            let bitmap_box = match &loaded.color {
                Some(color) => color.bitmap,
                None => font_raster::bitmap_box(loaded.cbox, mono),
            };
            y_max = y_max.max(bitmap_box[3] + py);
            x_min = x_min.min(bitmap_box[0] + px);
            x += glyph.x_advance;
            y += glyph.y_advance;
            glyphs.push(loaded);
        }
        x = ((-x_min as f32 + stroke + start.0) * 64.0).round() as i64;
        y = ((-y_max as f32 - stroke - start.1) * 64.0).round() as i64;
        for (glyph, loaded) in placed.iter().zip(&glyphs) {
            let (px, py) = (pixel(x + glyph.x_offset), pixel(y + glyph.y_offset));
            let target = font_raster::Target { pixels: &mut pixels, width, height, ink };
            if let Some(color) = &loaded.color {
                font_raster::blend_color(color, (px, py), target);
            } else if let Some(bitmap) = &loaded.bitmap {
                font_raster::blend_bitmap(bitmap, loaded.cbox, (px, py), target);
            } else if radius != 0 {
                font_raster::blend_stroked(&loaded.outline, loaded.cbox, radius, stroke_filled, (px, py), target);
            } else {
                font_raster::blend_glyph(&loaded.outline, loaded.cbox, mono, (px, py), target);
            }
            x += glyph.x_advance;
            y += glyph.y_advance;
        }
        rendered.pixels = pixels;
        Ok(rendered)
    }

    /// The names of the named instances (Pillow's `getvarnames`), then, as
    /// FreeType adds it when no named instance is at the default location,
    /// the default instance under the face's style name.
    pub fn variation_names(&self) -> FontResult<Vec<Vec<u8>>> {
        let font = self.font()?;
        if font.fvar().is_err() {
            return Err(INVALID_ARGUMENT);
        }
        let instances = font.named_instances();
        let mut names: Vec<Vec<u8>> = instances
            .iter()
            .map(|instance| name_string(&font, instance.subfamily_name_id().to_u16()).unwrap_or_default().into_bytes())
            .collect();
        if !instances.iter().any(|instance| instance.location().coords().iter().all(|coord| coord.to_bits() == 0)) {
            let style = [17, 2].iter().find_map(|id| name_string(&font, *id)).unwrap_or_default();
            names.push(style.into_bytes());
        }
        Ok(names)
    }

    /// The variation axes (Pillow's `getvaraxes`).
    pub fn variation_axes(&self) -> FontResult<Vec<Axis>> {
        let font = self.font()?;
        if font.fvar().is_err() {
            return Err(INVALID_ARGUMENT);
        }
        Ok(font
            .axes()
            .iter()
            .map(|axis| Axis {
                name: name_string(&font, axis.name_id().to_u16()).unwrap_or_default().into_bytes(),
                minimum: axis.min_value(),
                default: axis.default_value(),
                maximum: axis.max_value(),
            })
            .collect())
    }

    /// Selects named instance `index` (1-based as FreeType's, the
    /// default instance last as `variation_names` lists it).
    pub fn set_named_instance(&mut self, index: usize) -> FontResult<()> {
        let names = self.variation_names()?;
        let font = self.font()?;
        let instances = font.named_instances();
        let coords = match index.checked_sub(1).and_then(|at| instances.get(at)) {
            Some(instance) => instance.location().coords().to_vec(),
            None if index == names.len() || index == 0 => vec![NormalizedCoord::default(); font.axes().len()],
            None => return Err(INVALID_ARGUMENT),
        };
        let design = match index.checked_sub(1).and_then(|at| instances.get(at)) {
            Some(instance) => font
                .axes()
                .iter()
                .zip(instance.user_coords())
                .map(|(axis, value)| (u32::from_be_bytes(axis.tag().to_be_bytes()), value))
                .collect(),
            None => Vec::new(),
        };
        self.style =
            index.checked_sub(1).and_then(|at| names.get(at)).map(|name| String::from_utf8_lossy(name).into_owned());
        self.design = design;
        self.coords = coords;
        self.scale()
    }

    /// Sets the axes to design coordinates `values` (Pillow's `setvaraxes`).
    pub fn set_axes(&mut self, values: &[f32]) -> FontResult<()> {
        let font = self.font()?;
        if font.fvar().is_err() {
            return Err(INVALID_ARGUMENT);
        }
        let axes = font.axes();
        let settings: Vec<(skrifa::Tag, f32)> =
            axes.iter().zip(values).map(|(axis, value)| (axis.tag(), *value)).collect();
        let design = settings.iter().map(|(tag, value)| (u32::from_be_bytes(tag.to_be_bytes()), *value)).collect();
        let coords = axes.location(settings).coords().to_vec();
        self.design = design;
        self.coords = coords;
        self.scale()
    }
}

/// A BDT strike's x and y ppem and its horizontal line metrics.
fn bdt_size(x: u8, y: u8, hori: &skrifa::raw::tables::bitmap::SbitLineMetrics) -> (i64, i64, i64, i64) {
    (i64::from(x), i64::from(y), i64::from(hori.ascender()), i64::from(hori.descender()))
}

/// A PNG glyph image as FreeType's `Load_SBit_Png` leaves it: RGBA made
/// premultiplied with its rounding, the size the glyph's metrics claim.
fn png_premultiplied(png: &[u8], width: u32, height: u32) -> FontResult<Vec<u8>> {
    let limits = crate::error::Limits { max_side: 1 << 14, max_pixels: 1 << 24 };
    let decoded = crate::png::decode_png(png, limits).map_err(|_| INVALID_TABLE)?;
    if decoded.width != width || decoded.height != height {
        return Err(INVALID_TABLE);
    }
    let mut pixels = decoded.pixels;
    for pixel in pixels.chunks_exact_mut(4) {
        let alpha = u32::from(pixel[3]);
        if alpha == 0 {
            pixel.fill(0);
        } else if alpha != 255 {
            for value in &mut pixel[..3] {
                let product = alpha * u32::from(*value) + 0x80;
                *value = ((product + (product >> 8)) >> 8) as u8;
            }
        }
    }
    Ok(pixels)
}

/// FreeType's grey for a premultiplied sRGB pixel (`FT_Bitmap_Convert` of
/// a colour bitmap loaded without `FT_LOAD_COLOR`): its alpha less its
/// approximate luminosity.
fn grey_of_premultiplied(pixel: &[u8]) -> u8 {
    let alpha = u64::from(pixel[3]);
    if alpha == 0 {
        return 0;
    }
    let [red, green, blue] = [pixel[0], pixel[1], pixel[2]].map(u64::from);
    let luminosity = (4732 * blue * blue + 46871 * green * green + 13933 * red * red) >> 16;
    (alpha - luminosity / alpha) as u8
}

/// FreeType's lookup in the cmap subtables skrifa leaves out (formats 0
/// and 6) of the first Unicode encoding: 0 for no glyph.
fn small_cmap(font: &FontRef<'_>, code: u32) -> u32 {
    use skrifa::raw::tables::cmap::CmapSubtable;
    let Ok(cmap) = font.cmap() else {
        return 0;
    };
    for record in cmap.encoding_records() {
        let unicode = matches!((record.platform_id() as u16, record.encoding_id()), (0, _) | (3, 1 | 10));
        if !unicode {
            continue;
        }
        match record.subtable(cmap.offset_data()) {
            Ok(CmapSubtable::Format6(table)) => {
                let ids = table.glyph_id_array();
                let index = code.wrapping_sub(u32::from(table.first_code()));
                return ids.get(index as usize).map_or(0, |glyph| u32::from(glyph.get()));
            }
            Ok(CmapSubtable::Format0(table)) => {
                return table.glyph_id_array().get(code as usize).map_or(0, |&glyph| u32::from(glyph));
            }
            _ => {}
        }
    }
    0
}

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms), or a strong left-to-right one.
fn strong_direction(c: char) -> Option<bool> {
    let code = u32::from(c);
    if (0x0590..=0x08FF).contains(&code)
        || (0xFB1D..=0xFDFF).contains(&code)
        || (0xFE70..=0xFEFF).contains(&code)
        || (0x10800..=0x10FFF).contains(&code)
        || (0x1E800..=0x1EFFF).contains(&code)
    {
        Some(true)
    } else if c.is_alphanumeric() {
        Some(false)
    } else {
        None
    }
}

/// A small stand-in for the bidi pass raqm runs (FriBiDi): the text cut
/// into runs of one direction (neutrals join the run before them), and
/// whether the paragraph is right to left (`direction`, else its first
/// strong character's), in which case the runs are shown last first.
fn direction_runs<'t>(text: &'t str, direction: Option<&str>) -> (Vec<&'t str>, bool) {
    let mut runs = Vec::new();
    let (mut start, mut current) = (0, None);
    for (at, c) in text.char_indices() {
        if let Some(strong) = strong_direction(c) {
            if current.is_some_and(|run| run != strong) {
                runs.push(&text[start..at]);
                start = at;
            }
            current = Some(strong);
        }
    }
    runs.push(&text[start..]);
    let first_strong = text.chars().find_map(strong_direction).unwrap_or(false);
    let right_to_left = match direction {
        Some("rtl") => true,
        Some("ltr") => false,
        _ => first_strong,
    };
    (runs, right_to_left)
}

/// The `kern` subtables FreeType uses (format 0, horizontal, neither
/// cross-stream nor minimum values), with their override bit.
fn kern_subtables<'a>(
    font: &FontRef<'a>,
) -> impl Iterator<Item = (skrifa::raw::tables::kern::Subtable0<'a>, bool)> + 'a {
    let kern = font.data_for_tag(skrifa::Tag::new(b"kern")).and_then(|data| {
        use skrifa::raw::FontRead;
        Kern::read(data).ok()
    });
    let subtables: Vec<_> = match kern {
        Some(Kern::Ot(_)) => kern.iter().flat_map(|kern| kern.subtables()).flatten().collect(),
        _ => Vec::new(),
    };
    subtables.into_iter().filter_map(|subtable| {
        let coverage = match &subtable {
            skrifa::raw::tables::kern::Subtable::Ot(ot) => ot.coverage(),
            skrifa::raw::tables::kern::Subtable::Aat(_) => return None,
        };
        if coverage & !8 & 0xFF != 1 {
            return None;
        }
        match subtable.kind() {
            Ok(SubtableKind::Format0(table)) => Some((table, coverage & 8 != 0)),
            _ => None,
        }
    })
}

/// A name-table string as FreeType picks it: Windows Unicode English
/// first, then any Windows Unicode one, then Apple Roman English.
fn name_string(font: &FontRef<'_>, name_id: u16) -> Option<String> {
    let name = font.name().ok()?;
    let records = name.name_record();
    let rank = |record: &skrifa::raw::tables::name::NameRecord| -> Option<u8> {
        if record.name_id().to_u16() != name_id {
            return None;
        }
        match (record.platform_id(), record.encoding_id(), record.language_id()) {
            (3, 1 | 10, 0x409) => Some(0),
            (3, 1 | 10, _) => Some(1),
            (0, _, _) => Some(2),
            (1, 0, 0) => Some(3),
            _ => None,
        }
    };
    let best = records.iter().filter_map(|record| rank(record).map(|rank| (rank, record))).min_by_key(|item| item.0)?;
    let string = best.1.string(name.string_data()).ok()?;
    Some(string.chars().collect())
}

/// Collects skrifa's outline into ours.
#[derive(Default)]
struct OutlineBuilder {
    outline: Outline,
}

impl OutlinePen for OutlineBuilder {
    fn move_to(&mut self, x: f32, y: f32) {
        self.outline.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.outline.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.outline.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.outline.curve_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.outline.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_helpers_round_as_freetype() {
        assert_eq!(mul_fix(100, 0x8000), 50);
        assert_eq!(mul_fix(-3, 0x8000), -2);
        assert_eq!(div_fix(1280, 2048), 40960);
        assert_eq!(pixel(-33), -1);
        assert_eq!(pixel(32), 1);
        assert_eq!(pixel(31), 0);
    }

    #[test]
    fn runs_of_one_direction_in_paragraph_order() {
        assert_eq!(
            direction_runs("English \u{639}\u{631}\u{628}\u{64a}", None),
            (vec!["English ", "\u{639}\u{631}\u{628}\u{64a}"], false)
        );
        assert_eq!(direction_runs("\u{639}\u{631} ab", Some("ltr")), (vec!["\u{639}\u{631} ", "ab"], false));
        assert_eq!(direction_runs("Latin", Some("rtl")), (vec!["Latin"], true));
    }

    #[test]
    fn garbage_is_unknown_format() {
        assert_eq!(Face::new(vec![0; 100], 0, 10.0).err(), Some(UNKNOWN_FORMAT));
        assert_eq!(Face::new(Vec::new(), 0, 10.0).err(), Some(UNKNOWN_FORMAT));
    }

    #[test]
    fn a_font_made_here_is_measured_and_refused_at_freetypes_sizes() {
        let font = crate::font_testing::square_font();
        let mut face = Face::new(font.clone(), 0, 20.0).expect("the square font");
        let placed = face.layout(&[0x41, 0x41], false).expect("laid out");
        assert_eq!(placed.iter().map(|glyph| glyph.x_advance).collect::<Vec<_>>(), vec![640, 640]);
        let text_box = face.text_box(&placed, false, false, "ls").expect("a box");
        assert_eq!((text_box.width, text_box.height, text_box.x_offset, text_box.y_offset), (20, 10, 0, -10));
        let mask = face.render(&placed, false, false, "ls", 0.0, false, (0.0, 0.0), 1 << 20, None).expect("a mask");
        assert_eq!((mask.width, mask.height), (20, 10));
        assert_eq!(mask.pixels, vec![255; 200]);
        assert_eq!(face.size_metrics(), (16 * 64, -4 * 64, 20 * 64));
        assert_eq!(Face::new(font.clone(), 0, 0.3).err(), Some(FontError::FreeType("invalid ppem value")));
        assert_eq!(Face::new(font, 0, 65535.6).err(), Some(INVALID_PIXEL_SIZE));
    }
}
